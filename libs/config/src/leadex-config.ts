import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
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

  /** Prefix of every BullMQ key in Redis, so several Leadex installs (or test runs) can share one Redis. */
  @IsString()
  QUEUE_PREFIX = 'leadex';

  /** SMTP server for EMAIL deliveries and notification emails, e.g. smtp://user:pass@mail:587; unset = no email. */
  @IsOptional() @IsString()
  SMTP_URL?: string;

  /** The From of every email Leadex sends. */
  @IsString()
  SMTP_FROM = 'Leadex <leads@leadex.local>';

  /** Deadline of one webhook delivery (or SMTP send), in ms. */
  @Transform(toInt) @IsInt() @Min(100) @Max(120000)
  DELIVERY_TIMEOUT_MS = 10000;

  /** How long a failing delivery keeps being retried before it is marked failed, in ms (25 h). */
  @Transform(toInt) @IsInt() @Min(1)
  DELIVERY_RETRY_WINDOW_MS = 25 * 3600 * 1000;

  /** First retry delay, doubled per attempt (with jitter), in ms; the first retry comes within it. */
  @Transform(toInt) @IsInt() @Min(1)
  DELIVERY_BACKOFF_BASE_MS = 5000;

  /** Longest wait between two attempts, in ms (1 h). */
  @Transform(toInt) @IsInt() @Min(1)
  DELIVERY_BACKOFF_MAX_MS = 3600 * 1000;

  /** How often the outbox relay looks for due deliveries, in ms. */
  @Transform(toInt) @IsInt() @Min(10) @Max(60000)
  DELIVERY_RELAY_INTERVAL_MS = 100;

  /** Most deliveries the relay moves onto the queue per round. */
  @Transform(toInt) @IsInt() @Min(1) @Max(10000)
  DELIVERY_RELAY_BATCH = 500;

  /** A queued delivery not finished after this long (a lost job, a killed worker) is queued again, in ms. */
  @Transform(toInt) @IsInt() @Min(1000)
  DELIVERY_LEASE_MS = 60000;

  /** Deliveries one worker process makes at once. */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  DELIVERY_CONCURRENCY = 50;

  /** How often notifications are emailed to buyers with a notify address, in ms. */
  @Transform(toInt) @IsInt() @Min(100)
  NOTIFICATION_EMAIL_INTERVAL_MS = 5000;

  /** Default maximum return rate of a buyer, in percent of its purchases in the rate window (a buyer's own overrides); unset = no limit. */
  @IsOptional() @Transform(toNumber) @IsNumber({ maxDecimalPlaces: 4 }) @Min(0) @Max(100)
  RETURN_RATE_MAX_PERCENT?: number;

  /** The window, in days back from now, over which a buyer's return rate counts purchases and their returns. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3650)
  RETURN_RATE_WINDOW_DAYS = 30;

  /** Low-balance threshold given to buyers created without one (a decimal string, e.g. "100.00"); unset = none. */
  @IsOptional() @IsString() @Matches(/^\d{1,12}(\.\d{1,2})?$/)
  LOW_BALANCE_THRESHOLD?: string;

  /** Longest period of one billing or payout CSV export, in days (each export is one streamed query). */
  @Transform(toInt) @IsInt() @Min(1) @Max(3660)
  EXPORT_MAX_DAYS = 366;

  /** Rows fetched per round trip by the export's server-side cursor. */
  @Transform(toInt) @IsInt() @Min(10) @Max(100000)
  EXPORT_CURSOR_BATCH = 2000;

  /** Longest period of one report, in days. */
  @Transform(toInt) @IsInt() @Min(1) @Max(3660)
  REPORT_MAX_DAYS = 731;

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
