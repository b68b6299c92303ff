import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainException, ErrorCode } from '@leadex/contracts';
import { AuthUser } from '../auth/auth.types';
import { isUuid } from '../common/uuid.util';
import { Disposition } from './disposition.enum';

const NOTE_MAX = 1000;

export interface DispositionRecord {
  disposition: Disposition;
  note: string | null;
  at: Date;
}

/** Buyers report what became of their leads; every report is kept, the latest is the lead's disposition. */
@Injectable()
export class DispositionsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(user: AuthUser, leadId: string, disposition: Disposition, note: string | null): Promise<void> {
    if (note !== null && note.length > NOTE_MAX) throw DomainException.validation([{ field: 'note', message: `must be at most ${NOTE_MAX} characters` }]);
    if (!isUuid(leadId) || !user.buyerId) throw new DomainException(ErrorCode.NotFound, `Lead ${leadId} not found`);
    const rows = await this.dataSource.query(
      `INSERT INTO lead_dispositions (sale_id, lead_id, buyer_id, disposition, note)
       SELECT s.id, s.lead_id, s.buyer_id, $3, $4 FROM sales s
        WHERE s.lead_id = $1 AND s.buyer_id = $2 AND s.status IN ('SOLD', 'RETURNED')
       RETURNING id`,
      [leadId, user.buyerId, disposition, note],
    );
    if (!rows.length) throw new DomainException(ErrorCode.NotFound, `Lead ${leadId} not found`);
  }

  /** The latest disposition of each lead by the caller's buyer (by the first buyer that reported, for operators). */
  async latest(user: AuthUser, leadIds: string[]): Promise<Map<string, DispositionRecord>> {
    const rows = await this.dataSource.query(
      `SELECT DISTINCT ON (lead_id) lead_id, disposition, note, created_at FROM lead_dispositions
        WHERE lead_id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR buyer_id = $2)
        ORDER BY lead_id, id DESC`,
      [leadIds, user.buyerId],
    );
    return new Map(rows.map((r: any) => [r.lead_id, { disposition: r.disposition, note: r.note, at: r.created_at }]));
  }
}
