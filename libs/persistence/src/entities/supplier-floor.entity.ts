import Decimal from 'decimal.js';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { moneyColumn } from '../money.transformer';

/** The least a supplier accepts to be paid for a lead of one vertical; lower bids do not sell its leads. */
@Entity('supplier_floors')
export class SupplierFloorEntity {
  @PrimaryColumn('uuid', { name: 'supplier_id' }) supplierId: string;
  @PrimaryColumn('text', { name: 'vertical_key' }) vertical: string;
  @Column({ ...moneyColumn, name: 'min_payout' }) minPayout: Decimal;
}
