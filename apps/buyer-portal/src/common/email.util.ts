/**
 * One email address, as the portal accepts it where buyers and operators give addresses (delivery
 * recipients, notification addresses): something@domain.tld, no blanks, no commas (commas separate
 * several addresses in a delivery's list).
 */
export const EMAIL_ADDRESS_RE = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;

export function isEmailAddress(v: string): boolean {
  return EMAIL_ADDRESS_RE.test(v);
}
