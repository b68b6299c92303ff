import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIP, IsNotEmpty, IsObject, IsOptional, IsString, IsUrl, Matches, MaxLength, ValidateNested } from 'class-validator';

export class LeadSourceDto {
  @ApiPropertyOptional({ description: 'Your own traffic source or campaign id, for reports by sub_id', example: 'fb-campaign-7' })
  @IsOptional() @IsString() @MaxLength(100)
  sub_id?: string;

  @ApiPropertyOptional({ description: "The consumer's IP address", example: '203.0.113.9' })
  @IsOptional() @IsIP()
  ip?: string;

  @ApiPropertyOptional({ description: "The consumer's browser user agent" })
  @IsOptional() @IsString() @MaxLength(1000)
  user_agent?: string;

  @ApiPropertyOptional({ description: 'The page where the consumer filled the form' })
  @IsOptional() @IsUrl({ require_tld: false }) @MaxLength(2000)
  page_url?: string;
}

export class LeadConsentDto {
  @ApiPropertyOptional({ description: 'The consumer gave TCPA consent to be contacted' })
  @IsOptional() @IsBoolean()
  tcpa?: boolean;

  @ApiPropertyOptional({ description: 'The consent language shown to the consumer' })
  @IsOptional() @IsString() @MaxLength(5000)
  text?: string;

  @ApiPropertyOptional({ description: 'TrustedForm certificate URL' })
  @IsOptional() @IsUrl() @MaxLength(500)
  trustedform_cert_url?: string;

  @ApiPropertyOptional({ description: 'Jornaya LeadiD token' })
  @IsOptional() @IsString() @MaxLength(100)
  jornaya_leadid?: string;
}

/** A full lead, sold in one call. */
export class DirectPostDto {
  @ApiProperty({ description: 'Vertical key, see GET /v1/verticals', example: 'auto-insurance' })
  @IsString() @IsNotEmpty() @MaxLength(64)
  vertical: string;

  @ApiPropertyOptional({ description: 'Your id for the lead; a repeat is answered as a replay of the first', example: 'sup-000123' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(255)
  external_id?: string;

  @ApiPropertyOptional({ description: 'A test lead: validated and stored, never deduplicated against and never sold', default: false })
  @IsOptional() @IsBoolean()
  test?: boolean;

  @ApiPropertyOptional({ type: LeadSourceDto })
  @IsOptional() @ValidateNested() @Type(() => LeadSourceDto)
  source?: LeadSourceDto;

  @ApiPropertyOptional({ type: LeadConsentDto })
  @IsOptional() @ValidateNested() @Type(() => LeadConsentDto)
  consent?: LeadConsentDto;

  @ApiPropertyOptional({ description: 'The least payout you accept for this lead, e.g. "5.00"; lower bids are ignored', example: '5.00' })
  @IsOptional() @Matches(/^\d{1,12}(\.\d{1,2})?$/, { message: 'min_price must be a decimal string with at most two places, e.g. "5.00"' })
  min_price?: string;

  @ApiProperty({
    description: "The lead's fields, per the vertical's schema (GET /v1/verticals/:key)",
    type: 'object',
    additionalProperties: true,
    example: { first_name: 'Ana', last_name: 'Diaz', email: 'ana@example.com', phone: '+13055550123', zip: '33101', state: 'FL', age: 34, credit_rating: 'good', homeowner: true, currently_insured: true, vehicle_count: 2 },
  })
  @IsObject()
  fields: Record<string, unknown>;
}

export class DirectPostResponseDto {
  @ApiProperty({ format: 'uuid' }) lead_id: string;
  @ApiProperty({ enum: ['sold', 'unsold', 'duplicate'] }) status: 'sold' | 'unsold' | 'duplicate';
  @ApiPropertyOptional({ description: 'Your payout, a decimal string with two places (present when sold)', example: '8.75' }) price?: string;
  @ApiProperty({ description: 'How many buyers bought the lead' }) sales: number;
}

export class RejectionDto {
  @ApiProperty({ example: 'rejected' }) status: string;
  @ApiProperty({ example: 'validation_failed' }) error: string;
  @ApiProperty() message: string;
  @ApiProperty({ example: [{ field: 'fields.zip', message: 'must be five digits' }] }) errors: { field: string; message: string }[];
}
