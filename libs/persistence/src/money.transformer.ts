import Decimal from 'decimal.js';
import { ValueTransformer } from 'typeorm';

/** numeric ⇄ Decimal: PostgreSQL numeric never becomes a JS number. */
export const decimalTransformer: ValueTransformer = {
  to: (value: Decimal | string | null | undefined) =>
    value === null || value === undefined ? value : new Decimal(value as Decimal.Value).toFixed(),
  from: (value: string | null) => (value === null || value === undefined ? null : new Decimal(value)),
};

/** Options for a money column: numeric(14,2) as Decimal. */
export const moneyColumn = { type: 'numeric' as const, precision: 14, scale: 2, transformer: decimalTransformer };
/** Options for a rate column (percent): numeric(7,4) as Decimal. */
export const rateColumn = { type: 'numeric' as const, precision: 7, scale: 4, transformer: decimalTransformer };
