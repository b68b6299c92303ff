import { safeCell } from './billing-export.service';

describe('a billing CSV cell', () => {
  it('defuses free text a spreadsheet would run as a formula', () => {
    expect(safeCell('=HYPERLINK("http://evil")', 'supplier_name')).toBe(`'=HYPERLINK("http://evil")`);
    expect(safeCell('+1-555', 'sub_id')).toBe(`'+1-555`);
    expect(safeCell('@SUM(A1)', 'campaign_name')).toBe(`'@SUM(A1)`);
    expect(safeCell('-2+3', 'buyer_name')).toBe(`'-2+3`);
  });

  it('leaves plain names, money and ids as they are', () => {
    expect(safeCell('Acme Leads', 'supplier_name')).toBe('Acme Leads');
    expect(safeCell('-1.25', 'margin')).toBe('-1.25');
    expect(safeCell('=1', 'lead_id')).toBe('=1');
  });
});
