import Decimal from 'decimal.js';
import { capAllows, capHasRoom } from './caps.util';
import { Cap } from './types';

const usage = (leads: number, spend: string) => ({ leads, spend: new Decimal(spend) });
const price = new Decimal('10.00');

describe('a cap is full at its lead count or its spend', () => {
  it('allows sales while leads are below maxLeads', () => {
    const cap: Cap = { period: 'DAY', maxLeads: 10 };
    expect(capAllows(cap, usage(9, '0'), price)).toBe(true);
    expect(capAllows(cap, usage(10, '0'), price)).toBe(false);
    expect(capAllows({ period: 'DAY', maxLeads: 0 }, usage(0, '0'), price)).toBe(false);
  });

  it('allows a sale only when spend + price stays within maxSpend', () => {
    const cap: Cap = { period: 'DAY', maxSpend: new Decimal('100.00') };
    expect(capAllows(cap, usage(50, '90.00'), price)).toBe(true);
    expect(capAllows(cap, usage(50, '90.00'), new Decimal('10.01'))).toBe(false);
    expect(capAllows(cap, usage(50, '90.01'), price)).toBe(false);
  });

  it('needs both limits to allow when both are set, and nothing when none is', () => {
    const cap: Cap = { period: 'WEEK', maxLeads: 5, maxSpend: new Decimal('50') };
    expect(capAllows(cap, usage(4, '40'), price)).toBe(true);
    expect(capAllows(cap, usage(5, '40'), price)).toBe(false);
    expect(capAllows(cap, usage(4, '41'), price)).toBe(false);
    expect(capAllows({ period: 'TOTAL', maxLeads: null, maxSpend: null }, usage(1e9, '1e9'), price)).toBe(true);
  });

  it('has room for an unpriced (live) bid only while spend is strictly below maxSpend', () => {
    const cap: Cap = { period: 'DAY', maxLeads: 3, maxSpend: new Decimal('100.00') };
    expect(capHasRoom(cap, usage(2, '99.99'))).toBe(true);
    expect(capHasRoom(cap, usage(2, '100.00'))).toBe(false);
    expect(capHasRoom(cap, usage(3, '0'))).toBe(false);
  });
});
