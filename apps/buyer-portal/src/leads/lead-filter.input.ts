import { Field, ID, InputType } from '@nestjs/graphql';
import { IsDate, IsOptional, IsUUID } from 'class-validator';

@InputType()
export class LeadFilter {
  @Field(() => ID, { nullable: true, description: 'Only leads bought by this campaign.' })
  @IsOptional()
  @IsUUID(undefined, { message: 'must be a campaign id (UUID)' })
  campaignId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Sold at or after this instant.' })
  @IsOptional()
  @IsDate()
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Sold before this instant (exclusive).' })
  @IsOptional()
  @IsDate()
  to?: Date | null;
}
