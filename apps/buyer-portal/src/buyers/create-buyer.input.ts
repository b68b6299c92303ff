import { Field, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { MoneyScalar, MoneyString } from '../common/money.scalar';

@InputType()
export class CreateBuyerInput {
  @Field()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @Field(() => MoneyScalar, { nullable: true, description: 'How far below zero the balance may go (≥ 0); omit for no limit.' })
  @IsOptional()
  @IsString()
  creditLimit?: MoneyString | null;

  @Field(() => MoneyScalar, {
    nullable: true,
    description: 'One LOW_BALANCE notification when available funds (balance + credit limit) fall under this; omit for LOW_BALANCE_THRESHOLD or none.',
  })
  @IsOptional()
  @IsString()
  lowBalanceThreshold?: MoneyString | null;
}
