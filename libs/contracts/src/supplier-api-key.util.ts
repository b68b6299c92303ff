import { createHash, randomBytes } from 'crypto';

/**
 * Supplier API keys: `lx_` + 32 random bytes (base64url). Only the SHA-256 is stored — the key
 * has 256 bits of entropy, so a fast hash is safe and keeps authentication off the hot path's budget.
 */
export function generateSupplierApiKey(): { apiKey: string; hash: string; prefix: string } {
  const apiKey = `lx_${randomBytes(32).toString('base64url')}`;
  return { apiKey, hash: hashSupplierApiKey(apiKey), prefix: apiKey.slice(0, 10) };
}

export function hashSupplierApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}
