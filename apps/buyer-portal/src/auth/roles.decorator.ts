import { SetMetadata } from '@nestjs/common';
import { Role } from '@leadex/contracts';

export const ROLES_KEY = 'leadex:roles';
export const PUBLIC_KEY = 'leadex:public';

/** Only these roles may call the operation (the global AuthGuard enforces it; others get `forbidden`). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** No sign-in needed (login, health). Everything else requires a valid bearer token. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
