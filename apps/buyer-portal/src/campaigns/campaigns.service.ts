import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { parseMoney } from '@leadex/auction-core';
import { CampaignStatus, DomainException, ErrorCode, FieldError, Role } from '@leadex/contracts';
import { BuyerEntity, CampaignEntity, SupplierEntity, VerticalEntity } from '@leadex/persistence';
import { AuthUser } from '../auth/auth.types';
import { isUuid } from '../common/uuid.util';
import { CampaignDraft, campaignDraftProblems, draftFromEntity, draftFromInput, mergeDraft } from './campaign-draft.util';
import { CampaignInput, CampaignUpdateInput } from './campaign.input';
import { CampaignModel, toCampaignModel } from './campaign.output';

/**
 * Campaigns: BUYER users manage their own buyer's, ADMIN any, FINANCE reads. Another buyer's campaign
 * is invisible to a BUYER (null / not_found), never shown. Exchange processes learn of every change
 * through the campaigns_notify trigger.
 */
@Injectable()
export class CampaignsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(user: AuthUser, input: CampaignInput): Promise<CampaignModel> {
    const buyerId = this.buyerForNewCampaign(user, input.buyerId ?? null);
    return this.dataSource.transaction(async (m) => {
      const draft = draftFromInput(input, buyerId);
      await this.check(m, draft);
      const saved = await m.save(m.create(CampaignEntity, { ...this.columnsOf(draft), buyerId: draft.buyerId!, lastWonAt: null }));
      return toCampaignModel(saved);
    });
  }

  async update(user: AuthUser, id: string, input: CampaignUpdateInput): Promise<CampaignModel> {
    return this.dataSource.transaction(async (m) => {
      const stored = await this.lockVisible(m, user, id);
      const buyerChange: FieldError[] =
        input.buyerId != null && input.buyerId !== stored.buyerId ? [{ field: 'input.buyerId', message: "a campaign's buyer cannot change" }] : [];
      const draft = mergeDraft(draftFromEntity(stored), input);
      await this.check(m, draft, buyerChange);
      Object.assign(stored, this.columnsOf(draft));
      return toCampaignModel(await m.save(stored));
    });
  }

  /** Pauses or resumes; always allowed on a visible campaign (pausing must work even if a rule changed since). */
  async setStatus(user: AuthUser, id: string, status: CampaignStatus): Promise<CampaignModel> {
    return this.dataSource.transaction(async (m) => {
      const stored = await this.lockVisible(m, user, id);
      if (stored.status !== status) {
        stored.status = status;
        await m.save(stored);
      }
      return toCampaignModel(stored);
    });
  }

  async list(user: AuthUser): Promise<CampaignModel[]> {
    const rows = await this.dataSource.getRepository(CampaignEntity).find({
      where: user.role === Role.BUYER ? { buyerId: user.buyerId! } : {},
      order: { createdAt: 'DESC', id: 'DESC' },
    });
    return rows.map(toCampaignModel);
  }

  async findVisible(user: AuthUser, id: string): Promise<CampaignModel | null> {
    if (!isUuid(id)) return null;
    const row = await this.dataSource.getRepository(CampaignEntity).findOneBy({ id });
    return row && this.canSee(user, row) ? toCampaignModel(row) : null;
  }

  private canSee(user: AuthUser, c: CampaignEntity): boolean {
    return user.role !== Role.BUYER || c.buyerId === user.buyerId;
  }

  private buyerForNewCampaign(user: AuthUser, requested: string | null): string | null {
    if (user.role === Role.BUYER) {
      if (requested && requested !== user.buyerId) {
        throw new DomainException(ErrorCode.Forbidden, 'A BUYER user can create campaigns only for its own buyer');
      }
      return user.buyerId;
    }
    if (user.role === Role.ADMIN) return requested;
    throw new DomainException(ErrorCode.Forbidden, `${user.role} users cannot create campaigns`);
  }

  /** The campaign, row-locked for this transaction; not_found when it does not exist or is not the caller's. */
  private async lockVisible(m: EntityManager, user: AuthUser, id: string): Promise<CampaignEntity> {
    const row = isUuid(id) ? await m.findOne(CampaignEntity, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!row || !this.canSee(user, row)) throw new DomainException(ErrorCode.NotFound, `Campaign ${id} not found`);
    return row;
  }

  /** Loads what the rules need and throws one validation_failed listing every problem. */
  private async check(m: EntityManager, d: CampaignDraft, earlier: FieldError[] = []): Promise<void> {
    // One after another: the queries share the transaction's connection.
    const vertical = d.vertical ? await m.findOneBy(VerticalEntity, { key: d.vertical }) : null;
    const buyerExists = d.buyerId && isUuid(d.buyerId) ? await m.existsBy(BuyerEntity, { id: d.buyerId }) : false;
    const supplierIds = d.excludedSupplierIds.filter(isUuid);
    const suppliers = supplierIds.length ? await m.find(SupplierEntity, { select: { id: true }, where: { id: In(supplierIds) } }) : [];
    const errors = [...earlier, ...campaignDraftProblems(d, { vertical, buyerExists, knownSupplierIds: new Set(suppliers.map((s) => s.id)) })];
    if (errors.length) throw DomainException.validation(errors);
  }

  private columnsOf(d: CampaignDraft) {
    return {
      name: d.name!,
      vertical: d.vertical!,
      bid: d.bid === null ? null : parseMoney(d.bid),
      status: d.status,
      priority: d.priority,
      pingUrl: d.pingUrl,
      postUrl: d.postUrl,
      timeoutMs: d.timeoutMs,
      filters: d.filters,
      caps: d.caps,
      schedule: d.schedule,
      excludedSupplierIds: d.excludedSupplierIds,
    };
  }
}
