import { randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { LeadexConfig } from '@leadex/config';
import { hashPassword } from './auth/password.util';

export const DEFAULT_ADMIN_EMAIL = 'admin@leadex.local';
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Creates the first ADMIN user when none exists, from ADMIN_EMAIL / ADMIN_PASSWORD. In production both
 * are required; elsewhere the email defaults to admin@leadex.local and a random password is generated
 * and printed through `log`. Safe to run from several processes at once: the unique email index
 * decides, and only the process whose insert won prints the password.
 */
export async function bootstrapAdmin(dataSource: DataSource, config: LeadexConfig, log: (msg: string) => void): Promise<void> {
  const [existing] = await dataSource.query(`SELECT email FROM users WHERE role = 'ADMIN' LIMIT 1`);
  if (existing) return;

  if (config.isProduction && (!config.ADMIN_EMAIL || !config.ADMIN_PASSWORD)) {
    throw new Error('No admin user exists: set ADMIN_EMAIL and ADMIN_PASSWORD to create the first one (both are required in production)');
  }
  const email = (config.ADMIN_EMAIL ?? DEFAULT_ADMIN_EMAIL).trim().toLowerCase();
  if (!EMAIL_RE.test(email)) throw new Error(`ADMIN_EMAIL ${JSON.stringify(config.ADMIN_EMAIL)} is not a valid email address`);
  if (config.ADMIN_PASSWORD !== undefined && config.ADMIN_PASSWORD.length < 10) {
    throw new Error('ADMIN_PASSWORD must be at least 10 characters');
  }
  const generated = config.ADMIN_PASSWORD === undefined;
  const password = config.ADMIN_PASSWORD ?? randomBytes(15).toString('base64url');

  const inserted: { id: string }[] = await dataSource.query(
    `INSERT INTO users (email, password_hash, role) VALUES ($1, $2, 'ADMIN') ON CONFLICT (email) DO NOTHING RETURNING id`,
    [email, await hashPassword(password)],
  );
  if (inserted.length) {
    log(generated ? `Admin user created: ${email} / ${password}` : `Admin user created: ${email}`);
    return;
  }
  const [other] = await dataSource.query(`SELECT role FROM users WHERE email = $1`, [email]);
  if (other && other.role !== 'ADMIN') {
    log(`No admin user created: ${email} already belongs to a ${other.role} user; set ADMIN_EMAIL to another address`);
  }
  // Otherwise another process created the same admin a moment ago: nothing to do.
}
