import * as argon2 from 'argon2';

/** argon2id with the library's defaults (64 MiB, 3 passes): slow enough for passwords, fine for a login. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** A hash to verify against when the email is unknown, so a login takes as long whether or not the user exists. */
export function dummyPasswordHash(): Promise<string> {
  return (dummy ??= hashPassword('leadex-no-such-user-password'));
}
