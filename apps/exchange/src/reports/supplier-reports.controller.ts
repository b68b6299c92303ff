import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RejectionDto } from '../leads/dto/direct-post.dto';
import { SupplierProfile } from '../market/catalog.types';
import { CurrentSupplier, SupplierAuthGuard } from '../suppliers/supplier-auth.guard';
import { SupplierReportDto } from './supplier-report.dto';
import { SupplierReportsService } from './supplier-reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports')
@UseGuards(SupplierAuthGuard)
export class SupplierReportsController {
  constructor(private readonly reports: SupplierReportsService) {}

  @Get()
  @ApiOperation({ summary: 'Your leads and payouts over a period: posted, sold, sell-through, duplicates, rejections, revenue' })
  @ApiQuery({ name: 'from', description: 'First UTC day, YYYY-MM-DD (inclusive)', example: '2026-03-01' })
  @ApiQuery({ name: 'to', description: 'Last UTC day, YYYY-MM-DD (inclusive)', example: '2026-03-31' })
  @ApiQuery({ name: 'group_by', required: false, enum: ['DAY', 'WEEK', 'MONTH', 'VERTICAL', 'STATE', 'SUB_ID'], description: 'Default DAY' })
  @ApiOkResponse({ type: SupplierReportDto })
  @ApiResponse({ status: 400, type: RejectionDto, description: 'validation_failed: a bad or missing from, to or group_by' })
  @ApiResponse({ status: 401, type: RejectionDto, description: 'unauthorized' })
  report(
    @CurrentSupplier() supplier: SupplierProfile,
    @Query('from') from: string,
    @Query('to') to: string,
    @Query('group_by') groupBy: string | undefined,
  ): Promise<SupplierReportDto> {
    return this.reports.report(supplier.id, from, to, groupBy);
  }
}
