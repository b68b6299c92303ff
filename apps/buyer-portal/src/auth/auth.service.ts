import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainException, ErrorCode } from '@leadex/contracts';
import { UserEntity } from '@leadex/persistence';
import { isUuid } from '../common/uuid.util';
import { toUserModel } from '../users/user.output';
import { AuthPayload } from './auth-payload.output';
import { AuthUser, PortalTokenClaims } from './auth.types';
import { dummyPasswordHash, verifyPassword } from './password.util';

const BAD_CREDENTIALS = 'Invalid email or password';

/** Sign-in and token checks for the portal. */
@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly jwt: JwtService,
  ) {}

  async login(email: string, password: string): Promise<AuthPayload> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: email.trim().toLowerCase() })
      .getOne();
    // Verify against a dummy hash for unknown emails: the answer takes as long either way.
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !ok) throw new DomainException(ErrorCode.Unauthorized, BAD_CREDENTIALS);
    const claims: PortalTokenClaims = { sub: user.id, role: user.role, buyerId: user.buyerId };
    return { token: await this.jwt.signAsync(claims), user: toUserModel(user) };
  }

  /**
   * The user behind a bearer token. The user row is read again, so a deleted user's token stops
   * working and a role change applies at once.
   */
  async authenticate(token: string | null): Promise<AuthUser> {
    if (!token) throw new DomainException(ErrorCode.Unauthorized, 'Sign in first: send Authorization: Bearer <token>');
    let claims: PortalTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<PortalTokenClaims>(token);
    } catch {
      throw new DomainException(ErrorCode.Unauthorized, 'Invalid or expired token');
    }
    const user = isUuid(claims.sub) ? await this.users.findOneBy({ id: claims.sub }) : null;
    if (!user) throw new DomainException(ErrorCode.Unauthorized, 'Invalid or expired token');
    return toUserModel(user);
  }
}
