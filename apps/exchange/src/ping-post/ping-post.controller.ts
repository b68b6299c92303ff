import { Body, Controller, Headers, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RejectionDto } from '../leads/dto/direct-post.dto';
import { IdempotencyService } from '../leads/idempotency.service';
import { sendAnswer } from '../leads/leads.service';
import { SupplierProfile } from '../market/catalog.types';
import { SupplierRateLimitGuard } from '../rate-limit/supplier-rate-limit.guard';
import { CurrentSupplier, SupplierAuthGuard } from '../suppliers/supplier-auth.guard';
import { PingDto, PingResponseDto, PostDto, PostResponseDto } from './dto/ping-post.dto';
import { PingPostService } from './ping-post.service';

@ApiTags('ping-post')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(SupplierAuthGuard, SupplierRateLimitGuard)
@ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Up to 255 characters; a replay returns the first answer' })
@ApiResponse({ status: 400, type: RejectionDto, description: 'validation_failed: every bad field listed' })
@ApiResponse({ status: 401, type: RejectionDto, description: 'unauthorized' })
@ApiResponse({ status: 403, type: RejectionDto, description: 'forbidden' })
@ApiResponse({ status: 429, type: RejectionDto, description: 'rate_limited; see Retry-After' })
export class PingPostController {
  constructor(private readonly pingPost: PingPostService) {}

  @Post('ping')
  @HttpCode(200)
  @ApiOperation({ summary: "Ping: the lead without personal data, answered with the payout you would get; PII sent here is dropped" })
  @ApiOkResponse({ type: PingResponseDto })
  async ping(
    @CurrentSupplier() supplier: SupplierProfile,
    @Body() dto: PingDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendAnswer(reply, await this.pingPost.ping(supplier, dto, IdempotencyService.validateHeader(key)));
  }

  @Post('post')
  @HttpCode(200)
  @ApiOperation({ summary: 'Post: the full lead of a ping; sold down its bids, or expired / mismatch' })
  @ApiOkResponse({ type: PostResponseDto })
  @ApiResponse({ status: 404, type: RejectionDto, description: 'no such ping of yours' })
  @ApiResponse({ status: 409, type: RejectionDto, description: 'the ping was already posted' })
  async post(
    @CurrentSupplier() supplier: SupplierProfile,
    @Body() dto: PostDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return sendAnswer(reply, await this.pingPost.post(supplier, dto, IdempotencyService.validateHeader(key)));
  }
}
