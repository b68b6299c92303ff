import { Field, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { EMAIL_ADDRESS_RE } from '../common/email.util';
import { MoneyScalar, MoneyString } from '../common/money.scalar';

/**
 * A buyer's settings an operator may change. A field left out stays as it is; an explicit null clears a
 * nullable one (no credit limit, the default return rate, no low-balance threshold, no email).
 */
@InputType()
export class UpdateBuyerInput {
  @Field(() => String, { nullable: true, description: 'Left out: unchanged. Cannot be null.' })
  @ValidateIf((o: UpdateBuyerInput) => o.name !== undefined)
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @Field(() => MoneyScalar, {
    nullable: true,
    description: 'How far below zero the balance may go (≥ 0); null = no limit. Refused when the current balance is already below −limit.',
  })
  @IsOptional()
  @IsString()
  creditLimit?: MoneyString | null;

  @Field(() => String, {
    nullable: true,
    description: 'Most returns, in percent of purchases in the return-rate window: a decimal string 0–100, at most 4 decimals; null = the exchange default.',
  })
  @IsOptional()
  @IsString()
  @Matches(/^(?:100(?:\.0{1,4})?|\d{1,2}(?:\.\d{1,4})?)$/, { message: 'must be a decimal string between 0 and 100 with at most 4 decimals, e.g. "10" or "12.5"' })
  maxReturnPercent?: string | null;

  @Field(() => MoneyScalar, {
    nullable: true,
    description: 'One LOW_BALANCE notification when available funds (balance + credit limit) fall under this (≥ 0); null = none.',
  })
  @IsOptional()
  @IsString()
  lowBalanceThreshold?: MoneyString | null;

  @Field(() => String, { nullable: true, description: "Where the buyer's notifications are also emailed (needs SMTP_URL); null or \"\" = the portal only." })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() || null : value))
  @IsOptional()
  @IsString()
  @MaxLength(320)
  @Matches(EMAIL_ADDRESS_RE, { message: 'must be an email address' })
  notifyEmail?: string | null;
}
