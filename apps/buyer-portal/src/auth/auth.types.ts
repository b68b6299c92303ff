import type { Request } from 'express';
import { Role } from '@leadex/contracts';

/** The signed-in user as every resolver sees it. */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
  /** The buyer whose data a BUYER user sees; null for ADMIN and FINANCE. */
  buyerId: string | null;
}

export type PortalRequest = Request & { user?: AuthUser };

/** Claims of a portal JWT. */
export interface PortalTokenClaims {
  sub: string;
  role: Role;
  buyerId: string | null;
}
