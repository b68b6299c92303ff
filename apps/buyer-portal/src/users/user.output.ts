import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Role } from '@leadex/contracts';

registerEnumType(Role, { name: 'Role', description: 'ADMIN: operator, sees all. FINANCE: all money, read-only. BUYER: own buyer only.' });

/** A person who signs in to the portal. */
@ObjectType('User')
export class UserModel {
  @Field(() => ID) id: string;
  @Field({ description: 'Lowercased email, unique; the sign-in name.' }) email: string;
  @Field(() => Role) role: Role;
  @Field(() => ID, { nullable: true, description: 'The buyer a BUYER user acts for; null for ADMIN and FINANCE.' })
  buyerId: string | null;
}

export function toUserModel(u: { id: string; email: string; role: Role; buyerId: string | null }): UserModel {
  return { id: u.id, email: u.email, role: u.role, buyerId: u.buyerId };
}
