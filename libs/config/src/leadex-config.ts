import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());

/**
 * Every tunable of Leadex, read from the environment once at boot and validated:
 * a bad variable stops the process with a list of every problem, never a half-configured start.
 */
export class LeadexConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsString()
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/leadex';

  @IsString()
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  EXCHANGE_PORT = 3000;

  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORTAL_PORT = 3001;

  @IsString()
  HOST = '0.0.0.0';

  /** Connections per process in the PostgreSQL pool. */
  @Transform(toInt) @IsInt() @Min(1) @Max(500)
  DATABASE_POOL_SIZE = 20;

  @IsOptional() @IsString()
  ADMIN_EMAIL?: string;

  @IsOptional() @IsString()
  ADMIN_PASSWORD?: string;

  /** Signs buyer-portal JWTs; required in production, generated per boot otherwise. */
  @IsOptional() @IsString()
  JWT_SECRET?: string;

  @IsString()
  JWT_EXPIRES_IN = '12h';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Largest supplier request body, in bytes (64 KiB). */
  @Transform(toInt) @IsInt() @Min(1024)
  BODY_LIMIT_BYTES = 65536;

  /** Default ping/post requests per second per supplier (a supplier may have its own). */
  @Transform(toInt) @IsInt() @Min(1)
  SUPPLIER_RATE_LIMIT_PER_SEC = 1000;

  /** How long an idempotency key (or external_id) is remembered, in hours (at least 24). */
  @Transform(toInt) @IsInt() @Min(24)
  IDEMPOTENCY_TTL_HOURS = 48;

  /** How often each exchange process refreshes cap usage, balances and last wins from PostgreSQL. */
  @Transform(toInt) @IsInt() @Min(50)
  MARKET_REFRESH_MS = 1000;

  /** A request still "running" under an idempotency key after this long is treated as abandoned. */
  @Transform(toInt) @IsInt() @Min(1000)
  IDEMPOTENCY_STALE_MS = 120000;

  /** GraphQL query limits. */
  @Transform(toInt) @IsInt() @Min(2)
  GRAPHQL_MAX_DEPTH = 8;

  @Transform(toInt) @IsInt() @Min(10)
  GRAPHQL_MAX_COMPLEXITY = 2000;

  /** Largest page of leads a GraphQL query may ask for. */
  @Transform(toInt) @IsInt() @Min(1)
  LEADS_PAGE_MAX = 100;

  /** Number of exchange HTTP processes `npm start` runs (cluster); 0 = one per CPU. */
  @Transform(toInt) @IsInt() @Min(0) @Max(64)
  EXCHANGE_PROCESSES = 1;

  @Transform(toBool) @IsBoolean()
  GRAPHQL_INTROSPECTION = true;

  /** Buyer ping deadline when a campaign sets no timeoutMs, in ms. */
  @Transform(toInt) @IsInt() @Min(1) @Max(60000)
  BUYER_PING_TIMEOUT_MS = 500;

  /** The whole auction (every buyer ping) answers within this many ms of the lead's arrival. */
  @Transform(toInt) @IsInt() @Min(1) @Max(60000)
  AUCTION_DEADLINE_MS = 750;

  /** Deadline of the post of a sold lead to the winning buyer's postUrl, in ms. */
  @Transform(toInt) @IsInt() @Min(1) @Max(120000)
  BUYER_POST_TIMEOUT_MS = 3000;

  /** Keep-alive connections per buyer origin (host:port) in the buyer HTTP pool. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1024)
  BUYER_POOL_CONNECTIONS = 256;

  /** Largest buyer answer read, in bytes; a longer one is an error (64 KiB). */
  @Transform(toInt) @IsInt() @Min(1024) @Max(16777216)
  BUYER_RESPONSE_MAX_BYTES = 65536;

  /** Buyer URLs may point at private/loopback addresses (SSRF guard off); default off in production. */
  @Transform(toBool) @IsBoolean()
  ALLOW_PRIVATE_BUYER_URLS = true;

  /** A live campaign whose endpoint fails this many times in a row is paused by the exchange. */
  @Transform(toInt) @IsInt() @Min(1)
  CAMPAIGN_AUTO_PAUSE_FAILURES = 25;

  /** How often the audit timeline's gathered events are written, in ms. */
  @Transform(toInt) @IsInt() @Min(1) @Max(10000)
  EVENTS_FLUSH_MS = 100;

  /** How long a ping's bid holds for the post, in seconds. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  PING_TTL_SECONDS = 120;

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Reads and validates the environment; throws ConfigValidationError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LeadexConfig {
  const known = Object.keys(new LeadexConfig());
  const raw: Record<string, unknown> = {};
  for (const key of known) if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  const config = plainToInstance(LeadexConfig, raw, { exposeDefaultValues: true });
  const problems = validateSync(config, { skipMissingProperties: false }).map(
    (e) => `${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
  );
  if (config.NODE_ENV === 'production') {
    if (!config.JWT_SECRET) problems.push('JWT_SECRET is required in production');
    else if (config.JWT_SECRET.length < 32) problems.push('JWT_SECRET must be at least 32 characters in production');
    if (config.GRAPHQL_INTROSPECTION && env.GRAPHQL_INTROSPECTION === undefined) config.GRAPHQL_INTROSPECTION = false;
    // `raw`, not `env`: an empty ALLOW_PRIVATE_BUYER_URLS= must not switch the SSRF guard off.
    if (config.ALLOW_PRIVATE_BUYER_URLS && raw.ALLOW_PRIVATE_BUYER_URLS === undefined) config.ALLOW_PRIVATE_BUYER_URLS = false;
  }
  if (problems.length) throw new ConfigValidationError(problems);
  return config;
}
