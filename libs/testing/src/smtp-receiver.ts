import { AddressInfo } from 'net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  at: number;
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  /** Envelope sender (MAIL FROM). */
  from: string;
  /** Header names lower-cased, folded lines joined. */
  headers: Record<string, string>;
  /** The body, transfer encoding (quoted-printable, base64) undone. */
  text: string;
  raw: string;
}

export interface SmtpReceiverOptions {
  /** Refuse the recipients it matches (every one when true) with a 550: a mailbox that does not exist. */
  rejectRecipients?: boolean | ((address: string) => boolean);
}

export interface SmtpReceiver {
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  url: string;
  received: ReceivedEmail[];
  /** How many RCPT TO commands were refused. */
  rejected(): number;
  configure(options: SmtpReceiverOptions): void;
  /** Resolves when `n` messages have been accepted. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '').toLowerCase()) {
    case 'quoted-printable':
      return Buffer.from(
        body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      ).toString('utf8');
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

/** Splits a single-part message into its headers and decoded body (enough for plain-text mail). */
export function parseEmail(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, text: decodeBody(body, headers['content-transfer-encoding']) };
}

/**
 * A buyer's mail server for tests: a real SMTP peer (the smtp-server package, no TLS, no auth) that
 * keeps every message it accepts, and can refuse recipients.
 */
export async function startSmtpReceiver(initial: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  let options = { ...initial };
  let rejected = 0;
  const received: ReceivedEmail[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    closeTimeout: 1000,
    onRcptTo(address, _session, callback) {
      const reject = typeof options.rejectRecipients === 'function' ? options.rejectRecipients(address.address) : options.rejectRecipients;
      if (!reject) return callback();
      rejected++;
      const err = new Error(`mailbox ${address.address} unavailable`) as Error & { responseCode: number };
      err.responseCode = 550;
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const { headers, text } = parseEmail(raw);
        received.push({
          at: Date.now(),
          to: session.envelope.rcptTo.map((a) => a.address.toLowerCase()),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          headers,
          text,
          raw,
        });
        for (const w of waiters.filter((w) => received.length >= w.n)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => undefined); // a client that hangs up mid-session is not the test's failure
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    rejected: () => rejected,
    configure(next) {
      options = { ...options, ...next };
    },
    waitFor(n, timeoutMs = 30_000) {
      if (received.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`smtp receiver: ${received.length} of ${n} messages within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
