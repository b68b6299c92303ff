import { Field, ID, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsEmail, IsEnum, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { Role } from '@leadex/contracts';

@InputType()
export class CreateUserInput {
  @Field({ description: 'Sign-in email; stored lowercased, unique.' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'must be a valid email address' })
  @MaxLength(254)
  email: string;

  @Field({ description: 'At least 10 characters; stored as an argon2id hash.' })
  @IsString()
  @MinLength(10, { message: 'must be at least 10 characters' })
  @MaxLength(200)
  password: string;

  @Field(() => Role)
  @IsEnum(Role)
  role: Role;

  @Field(() => ID, { nullable: true, description: 'Required for BUYER users (an existing buyer); not allowed for other roles.' })
  @IsOptional()
  @IsUUID(undefined, { message: 'must be a buyer id (UUID)' })
  buyerId?: string | null;
}
