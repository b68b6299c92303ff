import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SupplierProfile } from '../market/catalog.types';
import { SupplierRateLimitGuard } from '../rate-limit/supplier-rate-limit.guard';
import { CurrentSupplier, SupplierAuthGuard } from '../suppliers/supplier-auth.guard';
import { DirectPostDto, DirectPostResponseDto, RejectionDto } from './dto/direct-post.dto';
import { IdempotencyService } from './idempotency.service';
import { LeadsService, sendAnswer } from './leads.service';

@ApiTags('leads')
@ApiBearerAuth()
@Controller('v1/leads')
@UseGuards(SupplierAuthGuard)
export class LeadsController {
  constructor(private readonly leads: LeadsService) {}

  @Post()
  @HttpCode(200)
  @UseGuards(SupplierRateLimitGuard)
  @ApiOperation({ summary: 'Direct post: a full lead, validated, deduplicated and sold in one call' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Up to 255 characters; a replay returns the first answer' })
  @ApiOkResponse({ type: DirectPostResponseDto })
  @ApiResponse({ status: 400, type: RejectionDto, description: 'validation_failed: every bad field listed' })
  @ApiResponse({ status: 401, type: RejectionDto, description: 'unauthorized' })
  @ApiResponse({ status: 403, type: RejectionDto, description: 'forbidden: paused, or not allowed this vertical' })
  @ApiResponse({ status: 409, type: RejectionDto, description: 'the same Idempotency-Key is still running' })
  @ApiResponse({ status: 422, type: RejectionDto, description: 'the same key was used with a different body' })
  @ApiResponse({ status: 429, type: RejectionDto, description: 'rate_limited; see Retry-After' })
  async post(
    @CurrentSupplier() supplier: SupplierProfile,
    @Body() dto: DirectPostDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    return sendAnswer(reply, await this.leads.directPost(supplier, dto, IdempotencyService.validateHeader(idempotencyKey)));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your leads, as it stands' })
  get(@CurrentSupplier() supplier: SupplierProfile, @Param('id') id: string): Promise<Record<string, unknown>> {
    return this.leads.findOwn(supplier, id);
  }
}
