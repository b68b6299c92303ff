import { Field, InputType, Int } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MoneyScalar, MoneyString } from '../common/money.scalar';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@InputType()
export class CreateSupplierInput {
  @Field()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @Field(() => String, { nullable: true, defaultValue: '70', description: 'Percent of the sale price paid to the supplier: a decimal string 0–100, at most 4 decimals.' })
  @IsOptional()
  @IsString()
  @Matches(/^(?:100(?:\.0{1,4})?|\d{1,2}(?:\.\d{1,4})?)$/, { message: 'must be a decimal string between 0 and 100 with at most 4 decimals, e.g. "70" or "72.5"' })
  payoutPercent?: string | null;

  @Field(() => MoneyScalar, { nullable: true, description: 'Flat payout per sold lead, replacing the percent.' })
  @IsOptional()
  @IsString()
  fixedPayout?: MoneyString | null;

  @Field(() => [String], { nullable: true, description: 'Vertical keys the supplier may sell; omit for all.' })
  @IsOptional()
  @IsString({ each: true })
  allowedVerticals?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'Ping/post requests per second; omit for the exchange default.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  rateLimitPerSec?: number | null;

  @Field(() => String, { nullable: true, description: 'Postback URL: POSTed {event: sold|returned, lead_id, external_id, sub_id, vertical, payout, sold_at} when a lead of this supplier is sold or returned.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  postbackUrl?: string | null;
}
