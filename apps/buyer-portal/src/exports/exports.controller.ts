import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Role } from '@leadex/contracts';
import { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { BillingExportService } from './billing-export.service';

/** Finance CSV exports, with the same bearer token as GraphQL; bad parameters are a 400 before any byte of CSV. */
@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: BillingExportService) {}

  /** One row per billed sale of the period. ADMIN, FINANCE: every buyer's (or `buyer_id`'s); BUYER: its own. */
  @Get('billing.csv')
  async billing(
    @CurrentUser() user: AuthUser,
    @Query('from') from: string,
    @Query('to') to: string,
    @Query('buyer_id') buyerId: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const range = this.exports.range(from, to);
    const scope = this.exports.scope(user, buyerId);
    csvHeaders(res, `billing-${range.from}-to-${range.to}.csv`);
    await this.exports.streamBilling(range, scope, res);
  }

  /** One row per supplier paid in the period: its sales, gross, returned and net payout. */
  @Get('payouts.csv')
  @Roles(Role.ADMIN, Role.FINANCE)
  async payouts(@Query('from') from: string, @Query('to') to: string, @Res() res: Response): Promise<void> {
    const range = this.exports.range(from, to);
    csvHeaders(res, `payouts-${range.from}-to-${range.to}.csv`);
    await this.exports.streamPayouts(range, res);
  }
}

function csvHeaders(res: Response, filename: string): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
}
