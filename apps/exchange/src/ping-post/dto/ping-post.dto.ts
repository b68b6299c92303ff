import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { DirectPostDto, LeadConsentDto } from '../../leads/dto/direct-post.dto';

/** A ping: the lead without personal data. Any PII field sent is dropped — never stored, never forwarded. */
export class PingDto extends DirectPostDto {}

export class PingResponseDto {
  @ApiProperty({ format: 'uuid' }) ping_id: string;
  @ApiProperty({ enum: ['bid', 'no_bid'] }) status: 'bid' | 'no_bid';
  @ApiPropertyOptional({ description: 'The payout you would get, two places (when status is bid)', example: '6.47' }) price?: string;
  @ApiProperty({ description: 'The bid holds until then (ISO 8601)' }) expires_at: string;
}

/** The post of a pinged lead: every field, personal ones included. */
export class PostDto {
  @ApiProperty({ format: 'uuid', description: 'The ping_id your ping was answered with' })
  @IsUUID()
  ping_id: string;

  @ApiProperty({ description: "All the lead's fields; the non-PII ones must equal the ping's", type: 'object', additionalProperties: true })
  @IsObject()
  fields: Record<string, unknown>;

  @ApiPropertyOptional({ type: LeadConsentDto })
  @IsOptional() @ValidateNested() @Type(() => LeadConsentDto)
  consent?: LeadConsentDto;

  @ApiPropertyOptional({ description: 'Your id for the lead; a repeat is answered as a replay of the first' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(255)
  external_id?: string;
}

export class PostResponseDto {
  @ApiProperty({ format: 'uuid' }) lead_id: string;
  @ApiProperty({ enum: ['sold', 'unsold', 'expired', 'mismatch', 'duplicate'] }) status: string;
  @ApiPropertyOptional({ description: 'What you were actually paid, two places (when sold)', example: '6.47' }) price?: string;
  @ApiProperty({ description: 'How many buyers bought the lead' }) sales: number;
}
