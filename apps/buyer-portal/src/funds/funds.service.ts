import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Decimal from 'decimal.js';
import { DataSource } from 'typeorm';
import { parseMoney } from '@leadex/auction-core';
import { DomainException, ErrorCode, FieldError } from '@leadex/contracts';
import { BuyerEntity } from '@leadex/persistence';
import { BuyerModel, toBuyerModel } from '../buyers/buyer.output';
import { isUuid } from '../common/uuid.util';
import { moneyDomainError } from '../returns/money-db-errors.util';
import { SupplierStatementModel } from './supplier-statement.output';

const REFERENCE_MAX = 200;
const REASON_MAX = 500;

/**
 * Money that is not a sale: deposits and adjustments (ADMIN, FINANCE) and supplier payout statements. Each
 * write is one PL/pgSQL call (leadex_record_deposit, leadex_record_adjustment): its ledger transaction and the
 * buyer's balance commit together, so the maintained balance never drifts from the ledger.
 */
@Injectable()
export class FundsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async recordDeposit(buyerId: string, amount: string, reference: string | null | undefined): Promise<BuyerModel> {
    const errors: FieldError[] = [];
    if (!isUuid(buyerId)) errors.push({ field: 'buyerId', message: 'must be a buyer id' });
    const value = parseMoney(amount);
    if (value.lte(0)) errors.push({ field: 'amount', message: 'must be more than 0.00' });
    if (reference != null && (reference.trim().length === 0 || reference.length > REFERENCE_MAX)) {
      errors.push({ field: 'reference', message: `must be 1 to ${REFERENCE_MAX} characters` });
    }
    if (errors.length) throw DomainException.validation(errors);
    try {
      await this.dataSource.query(`SELECT leadex_record_deposit($1, $2, $3, $4)`, [randomUUID(), buyerId, value.toFixed(2), reference?.trim() ?? null]);
    } catch (e) {
      moneyDomainError(e, { field: 'buyerId', id: buyerId });
    }
    return toBuyerModel((await this.dataSource.getRepository(BuyerEntity).findOneBy({ id: buyerId }))!);
  }

  /** A signed correction of a buyer's balance against the exchange's revenue; a debit may not break the credit limit. */
  async recordAdjustment(buyerId: string, amount: string, reason: string): Promise<BuyerModel> {
    const errors: FieldError[] = [];
    if (!isUuid(buyerId)) errors.push({ field: 'buyerId', message: 'must be a buyer id' });
    const value = new Decimal(amount); // the SignedMoney scalar has checked the spelling and the cents
    if (value.isZero()) errors.push({ field: 'amount', message: 'must not be 0.00: positive credits the buyer, negative debits it' });
    const memo = reason.trim();
    if (memo.length === 0 || memo.length > REASON_MAX) errors.push({ field: 'reason', message: `must be 1 to ${REASON_MAX} characters` });
    if (errors.length) throw DomainException.validation(errors);
    try {
      await this.dataSource.query(`SELECT leadex_record_adjustment($1, $2, $3, $4)`, [randomUUID(), buyerId, value.toFixed(2), memo]);
    } catch (e) {
      moneyDomainError(e, { field: 'buyerId', id: buyerId });
    }
    return toBuyerModel((await this.dataSource.getRepository(BuyerEntity).findOneBy({ id: buyerId }))!);
  }

  /** A supplier's payouts over [from, to), from its SUPPLIER ledger entries (entry time = when money moved). */
  async supplierStatement(supplierId: string, from: Date, to: Date): Promise<SupplierStatementModel> {
    if (!(from < to)) throw DomainException.validation([{ field: 'to', message: 'must be after from' }]);
    const supplier = isUuid(supplierId) ? ((await this.dataSource.query(`SELECT id, name FROM suppliers WHERE id = $1`, [supplierId])) as { id: string; name: string }[])[0] : undefined;
    if (!supplier) throw new DomainException(ErrorCode.NotFound, `Supplier ${supplierId} not found`);
    const [row] = await this.dataSource.query(
      `SELECT count(DISTINCT t.id) FILTER (WHERE t.kind = 'SALE')::int AS sales_count,
              coalesce(sum(CASE e.direction WHEN 'CREDIT' THEN e.amount ELSE -e.amount END) FILTER (WHERE t.kind = 'SALE'), 0) AS gross,
              count(DISTINCT t.id) FILTER (WHERE t.kind = 'RETURN')::int AS returns_count,
              coalesce(sum(CASE e.direction WHEN 'DEBIT' THEN e.amount ELSE -e.amount END) FILTER (WHERE t.kind = 'RETURN'), 0) AS clawed_back,
              coalesce(sum(CASE e.direction WHEN 'CREDIT' THEN e.amount ELSE -e.amount END) FILTER (WHERE t.kind NOT IN ('SALE', 'RETURN')), 0) AS adjustments
         FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE e.account_type = 'SUPPLIER' AND e.account_id = $1 AND e.created_at >= $2 AND e.created_at < $3`,
      [supplierId, from, to],
    );
    const gross = new Decimal(row.gross);
    const clawedBack = new Decimal(row.clawed_back);
    const adjustments = new Decimal(row.adjustments);
    return {
      supplierId,
      supplierName: supplier.name,
      from,
      to,
      salesCount: row.sales_count,
      grossPayout: gross,
      returnsCount: row.returns_count,
      returnsClawedBack: clawedBack,
      adjustments,
      netPayout: gross.minus(clawedBack).plus(adjustments),
    };
  }
}
