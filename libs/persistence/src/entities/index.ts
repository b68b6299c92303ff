export * from './vertical.entity';
export * from './supplier.entity';
export * from './buyer.entity';
export * from './user.entity';
export * from './campaign.entity';
export * from './lead.entity';
export * from './sale.entity';
export * from './ledger.entity';
