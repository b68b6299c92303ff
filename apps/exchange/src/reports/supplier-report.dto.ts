import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One row of a supplier's report; money as two-place strings. */
export class SupplierReportRowDto {
  @ApiProperty({ description: 'The group: a day (YYYY-MM-DD), a week (its Monday), a month (YYYY-MM), a vertical, a state or a sub_id; "TOTAL" for totals', example: '2026-03-01' })
  key: string;
  @ApiProperty({ description: 'Leads you posted (stored, whatever their outcome), by the UTC day they arrived' }) leads_posted: number;
  @ApiProperty() sold: number;
  @ApiProperty() unsold: number;
  @ApiProperty() duplicates: number;
  @ApiProperty({ description: 'Refused after storing: an expired ping or a post that did not match its ping' }) rejections: number;
  @ApiPropertyOptional({ description: 'sold / leads_posted, 4 decimals; null with no leads', nullable: true, type: Number }) sell_through: number | null;
  @ApiProperty({ description: 'Sales of your leads (a shared lead sells more than once), by the UTC day sold' }) sales: number;
  @ApiProperty({ description: 'Your payout on those sales, net of approved returns', example: '8.75' }) revenue: string;
  @ApiProperty({ description: 'Payout clawed back by approved returns', example: '0.00' }) returned_payout: string;
  @ApiPropertyOptional({ description: 'Gross payout per sale', example: '8.75', nullable: true, type: String }) average_payout: string | null;
}

export class SupplierReportDto {
  @ApiProperty({ example: '2026-03-01' }) from: string;
  @ApiProperty({ example: '2026-03-31' }) to: string;
  @ApiProperty({ enum: ['DAY', 'WEEK', 'MONTH', 'VERTICAL', 'STATE', 'SUB_ID'] }) group_by: string;
  @ApiProperty({ type: [SupplierReportRowDto] }) rows: SupplierReportRowDto[];
  @ApiProperty({ type: SupplierReportRowDto }) totals: SupplierReportRowDto;
}
