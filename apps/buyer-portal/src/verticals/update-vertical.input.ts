import { Field, InputType, Int } from '@nestjs/graphql';
import { IsArray, IsBoolean, IsEnum, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { MoneyScalar, MoneyString } from '../common/money.scalar';
import { ReturnReason } from '../returns/lead-return.output';
import { DistributionMode } from './distribution-mode.enum';

export const MAX_SALES_MAX = 20;
export const WINDOW_DAYS_MAX = 3650;

/**
 * The selling rules of a vertical an operator may change; a field left out (or null) stays as it is.
 * Changes reach every exchange process within a second; leads already taken keep the rules they were taken with.
 */
@InputType()
export class UpdateVerticalInput {
  @Field(() => DistributionMode, { nullable: true })
  @IsOptional()
  @IsEnum(DistributionMode)
  distributionMode?: DistributionMode | null;

  @Field(() => Int, { nullable: true, description: `How many buyers may buy one lead, 1–${MAX_SALES_MAX} (1 = exclusive).` })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SALES_MAX)
  maxSales?: number | null;

  @Field(() => MoneyScalar, { nullable: true, description: 'Lowest price a lead of this vertical sells for.' })
  @IsOptional()
  @IsString()
  floorPrice?: MoneyString | null;

  @Field(() => Int, { nullable: true, description: `Days within which the same phone or email is a duplicate, 0–${WINDOW_DAYS_MAX}.` })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(WINDOW_DAYS_MAX)
  duplicateWindowDays?: number | null;

  @Field(() => Int, { nullable: true, description: `Days after a sale within which a buyer may ask for a return, 0–${WINDOW_DAYS_MAX}.` })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(WINDOW_DAYS_MAX)
  returnWindowDays?: number | null;

  @Field(() => [ReturnReason], { nullable: true, description: 'Return reasons approved as soon as a buyer asks, e.g. [DUPLICATE]; [] = every return waits for an operator.' })
  @IsOptional()
  @IsArray()
  @IsEnum(ReturnReason, { each: true })
  returnAutoApproveReasons?: ReturnReason[] | null;

  @Field(() => Boolean, { nullable: true, description: 'An inactive vertical takes no leads and no new campaigns.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean | null;
}
