import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { parseMoney } from '@leadex/auction-core';
import { BuyerUrlGuard } from '@leadex/buyer-protocol';
import { CampaignStatus, DomainException, ErrorCode, FieldError, Role } from '@leadex/contracts';
import { BuyerEntity, CampaignEntity, SupplierEntity, VerticalEntity } from '@leadex/persistence';
import { AuthUser } from '../auth/auth.types';
import { isUuid } from '../common/uuid.util';
import { CampaignDraft, campaignDraftProblems, draftFromEntity, draftFromInput, mergeDraft, URL_MAX } from './campaign-draft.util';
import { CampaignInput, CampaignUpdateInput } from './campaign.input';
import { CampaignModel, toCampaignModel } from './campaign.output';

/**
 * Campaigns: BUYER users manage their own buyer's, ADMIN any, FINANCE reads. Another buyer's campaign
 * is invisible to a BUYER (null / not_found), never shown. Exchange processes learn of every change
 * through the campaigns_notify trigger. Templates and buyer URLs are checked by the exchange's own
 * rules (@leadex/buyer-protocol), so what the portal accepts is what the exchange will call.
 */
@Injectable()
export class CampaignsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly urlGuard: BuyerUrlGuard,
  ) {}

  async create(user: AuthUser, input: CampaignInput): Promise<CampaignModel> {
    const buyerId = this.buyerForNewCampaign(user, input.buyerId ?? null);
    const draft = draftFromInput(input, buyerId);
    // outside the transaction: with private targets refused the guard resolves names (DNS), which may be slow
    const urlErrors = await this.urlProblems({ ...draft, deliveryUrl: draft.delivery.url ?? null });
    return this.dataSource.transaction(async (m) => {
      await this.check(m, draft, urlErrors);
      const saved = await m.save(m.create(CampaignEntity, { ...this.columnsOf(draft), buyerId: draft.buyerId!, lastWonAt: null }));
      return toCampaignModel(saved);
    });
  }

  async update(user: AuthUser, id: string, input: CampaignUpdateInput): Promise<CampaignModel> {
    // the URLs given are checked before the row is locked (DNS may be slow); the stored ones were checked when saved
    const urlErrors = await this.urlProblems({ pingUrl: input.pingUrl ?? null, postUrl: input.postUrl ?? null, deliveryUrl: input.delivery?.url ?? null });
    return this.dataSource.transaction(async (m) => {
      const stored = await this.lockVisible(m, user, id);
      const buyerChange: FieldError[] =
        input.buyerId != null && input.buyerId !== stored.buyerId ? [{ field: 'input.buyerId', message: "a campaign's buyer cannot change" }] : [];
      const wasPaused = stored.status === CampaignStatus.PAUSED;
      const draft = mergeDraft(draftFromEntity(stored), input);
      await this.check(m, draft, [...buyerChange, ...urlErrors]);
      Object.assign(stored, this.columnsOf(draft));
      if (wasPaused && draft.status === CampaignStatus.ACTIVE) await this.freshStart(m, stored);
      return toCampaignModel(await m.save(stored));
    });
  }

  /**
   * Pauses or resumes; always allowed on a visible campaign (pausing must work even if a rule changed since).
   * Resuming clears why the exchange paused it: the buyer says it fixed its endpoint.
   */
  async setStatus(user: AuthUser, id: string, status: CampaignStatus): Promise<CampaignModel> {
    return this.dataSource.transaction(async (m) => {
      const stored = await this.lockVisible(m, user, id);
      const clearReason = status === CampaignStatus.ACTIVE && stored.pausedReason !== null;
      if (stored.status !== status || clearReason) {
        if (status === CampaignStatus.ACTIVE) await this.freshStart(m, stored);
        stored.status = status;
        await m.save(stored);
      }
      return toCampaignModel(stored);
    });
  }

  /**
   * Resuming means the buyer says it fixed its endpoint: the exchange's pause reason is cleared and
   * its count of failures in a row starts again, or the next failure would pause it at once.
   */
  private async freshStart(m: EntityManager, stored: CampaignEntity): Promise<void> {
    stored.pausedReason = null;
    await m.query(`UPDATE campaign_health SET consecutive_failures = 0 WHERE campaign_id = $1`, [stored.id]);
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

  /**
   * The buyer URLs of a draft that the exchange would refuse to call: its own BuyerUrlGuard (scheme,
   * credentials, and with ALLOW_PRIVATE_BUYER_URLS off, private/loopback/link-local addresses, names
   * resolved). Only the given URLs: pass the update's, not the stored ones.
   */
  private async urlProblems(d: Pick<CampaignDraft, 'pingUrl' | 'postUrl'> & { deliveryUrl: string | null }): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    for (const key of ['pingUrl', 'postUrl', 'deliveryUrl'] as const) {
      const url = d[key];
      if (url === null || url.length > URL_MAX) continue; // too long: campaignDraftProblems names it
      try {
        await this.urlGuard.check(url.trim(), key === 'deliveryUrl' ? 'input.delivery.url' : `input.${key}`);
      } catch (e) {
        if (e instanceof DomainException && e.code === ErrorCode.ValidationFailed) errors.push(...e.errors);
        else throw e;
      }
    }
    return errors;
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
      template: d.template,
      purchaseMode: d.purchaseMode,
      weight: d.weight,
      delivery: d.delivery,
    };
  }
}
