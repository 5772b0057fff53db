import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { ConflictError, NotFoundError, ValidationError } from '#platform/errors/app-errors';
import { type ConnectionShape, paginate, type PageArgs } from '#platform/graphql/connection';
import { COUNTED_ORDER_STATUSES } from '#segments';
import { runNamed } from '#platform/database/named-queries';
import { SegmentReferencesRepository } from '../segments/segment-references.repository.js';
import { CAMPAIGN_AUDIENCE_QUERIES } from './campaign-audience.queries.js';
import { Campaign, CampaignResults, CampaignStatus } from './campaign.entity.js';
import type { CampaignResponseInput, CreateCampaignInput, UpdateCampaignInput } from './campaigns.dto.js';

/** A campaign runs at most this long. */
export const MAX_CAMPAIGN_DAYS = 731;

@Injectable()
export class CampaignsService {
  constructor(
    @InjectRepository(Campaign) private readonly campaigns: Repository<Campaign>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly segments: SegmentReferencesRepository,
  ) {}

  async get(id: string): Promise<Campaign> {
    const campaign = isUUID(id) ? await this.campaigns.findOneBy({ id }) : null;
    if (!campaign) throw new NotFoundError('Campaign', id);
    return campaign;
  }

  list(page: PageArgs): Promise<ConnectionShape<Campaign>> {
    return paginate(
      this.campaigns.createQueryBuilder('k'),
      {
        column: 'k.created_at',
        value: (k) => k.createdAt,
        direction: 'DESC',
        idColumn: 'k.id',
        id: (k) => k.id,
      },
      page,
    );
  }

  async create(input: CreateCampaignInput, userId: string): Promise<Campaign> {
    checkPeriod(input.startsAt, input.endsAt);
    const id = await this.dataSource.transaction(async (m) => {
      await assertSegment(this.segments, m, input.segmentId);
      const [row] = await m.query(
        `INSERT INTO campaign (name, description, segment_id, channel, starts_at, ends_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          input.name.trim(),
          input.description?.trim() || null,
          input.segmentId,
          input.channel,
          input.startsAt,
          input.endsAt,
          userId,
        ],
      );
      return row.id as string;
    });
    return this.get(id);
  }

  async update(id: string, input: UpdateCampaignInput): Promise<Campaign> {
    await this.dataSource.transaction(async (m) => {
      const current = await lockCampaign(m, id, 'id');
      if (current.status !== CampaignStatus.DRAFT) {
        throw new ConflictError('A launched campaign cannot be edited', { field: 'id' });
      }
      checkPeriod(input.startsAt ?? current.starts_at, input.endsAt ?? current.ends_at);
      if (input.segmentId) await assertSegment(this.segments, m, input.segmentId);
      await m.query(
        `UPDATE campaign SET name = COALESCE($2, name),
            description = CASE WHEN $3::boolean THEN $4 ELSE description END,
            segment_id = COALESCE($5, segment_id), channel = COALESCE($6, channel),
            starts_at = COALESCE($7, starts_at), ends_at = COALESCE($8, ends_at), updated_at = now()
          WHERE id = $1`,
        [
          id,
          input.name?.trim() ?? null,
          input.description !== undefined,
          input.description?.trim() || null,
          input.segmentId ?? null,
          input.channel ?? null,
          input.startsAt ?? null,
          input.endsAt ?? null,
        ],
      );
    });
    return this.get(id);
  }

  /**
   * Launches a DRAFT campaign: copies the segment's current live members into the audience
   * snapshot, in one transaction that waits for a running refresh of the segment. Launching a
   * launched campaign changes nothing (idempotent).
   */
  async launch(id: string): Promise<Campaign> {
    await this.dataSource.transaction(async (m) => {
      const campaign = await lockCampaign(m, id, 'id');
      if (campaign.status === CampaignStatus.LAUNCHED) return;
      await this.segments.lockForShare(m, campaign.segment_id);
      await runNamed(m, CAMPAIGN_AUDIENCE_QUERIES, 'snapshotAudience', [id, campaign.segment_id]);
      await m.query(
        `UPDATE campaign SET status = 'launched', launched_at = now(), updated_at = now(),
            audience_size = (SELECT count(*) FROM campaign_audience WHERE campaign_id = $1)
          WHERE id = $1`,
        [id],
      );
    });
    return this.get(id);
  }

  /**
   * Records that a customer of the audience responded (or converted, which implies a response).
   * Idempotent: the first time recorded stays; recording again changes nothing.
   */
  async record(input: CampaignResponseInput, conversion: boolean): Promise<Campaign> {
    await this.dataSource.transaction(async (m) => {
      const campaign = await lockCampaign(m, input.campaignId, 'campaignId', 'FOR SHARE');
      if (campaign.status !== CampaignStatus.LAUNCHED) {
        throw new ValidationError('campaignId', 'the campaign is not launched yet');
      }
      const [inAudience] = await m.query(
        `SELECT 1 FROM campaign_audience WHERE campaign_id = $1 AND customer_id = $2`,
        [input.campaignId, input.customerId],
      );
      if (!inAudience) throw new ValidationError('customerId', 'is not in the audience of this campaign');
      const at = input.at ?? new Date();
      if (conversion) {
        await m.query(
          `INSERT INTO campaign_response (campaign_id, customer_id, responded_at, converted_at) VALUES ($1, $2, $3, $3)
           ON CONFLICT (campaign_id, customer_id) DO UPDATE
             SET converted_at = COALESCE(campaign_response.converted_at, EXCLUDED.converted_at)`,
          [input.campaignId, input.customerId, at],
        );
      } else {
        await m.query(
          `INSERT INTO campaign_response (campaign_id, customer_id, responded_at) VALUES ($1, $2, $3)
           ON CONFLICT (campaign_id, customer_id) DO NOTHING`,
          [input.campaignId, input.customerId, at],
        );
      }
    });
    return this.get(input.campaignId);
  }

  /** Results of several campaigns in two queries (for DataLoaders). */
  async results(campaigns: readonly Campaign[]): Promise<CampaignResults[]> {
    const ids = campaigns.map((c) => c.id);
    const counts: { campaign_id: string; responses: number; conversions: number }[] =
      await this.dataSource.query(
        `SELECT campaign_id, count(*)::int AS responses, count(converted_at)::int AS conversions
         FROM campaign_response WHERE campaign_id = ANY($1::uuid[]) GROUP BY campaign_id`,
        [ids],
      );
    const revenue = await runNamed<
      { campaign_id: string; currency: string; orders: number; amount: string },
      'revenue'
    >(this.dataSource, CAMPAIGN_AUDIENCE_QUERIES, 'revenue', [ids, [...COUNTED_ORDER_STATUSES]]);
    return campaigns.map((campaign) => {
      const reach = campaign.audienceSize ?? 0;
      const c = counts.find((row) => row.campaign_id === campaign.id);
      const money = revenue.filter((row) => row.campaign_id === campaign.id);
      const responses = c?.responses ?? 0;
      const conversions = c?.conversions ?? 0;
      return {
        reach,
        responses,
        conversions,
        responseRate: reach > 0 ? responses / reach : null,
        conversionRate: reach > 0 ? conversions / reach : null,
        orders: money.reduce((sum, row) => sum + row.orders, 0),
        revenue: money.map((row) => ({ currency: row.currency, amount: row.amount })),
      };
    });
  }
}

function checkPeriod(startsAt: Date, endsAt: Date): void {
  if (endsAt.getTime() <= startsAt.getTime()) throw new ValidationError('endsAt', 'must be after startsAt');
  if (endsAt.getTime() - startsAt.getTime() > MAX_CAMPAIGN_DAYS * 86_400_000) {
    throw new ValidationError('endsAt', `the period must not exceed ${MAX_CAMPAIGN_DAYS} days`);
  }
}

async function assertSegment(
  segments: SegmentReferencesRepository,
  m: EntityManager,
  segmentId: string,
): Promise<void> {
  if (!(await segments.exists(segmentId, m)))
    throw new ValidationError('segmentId', `no segment ${segmentId} on this node`);
}

interface CampaignRow {
  status: CampaignStatus;
  segment_id: string;
  starts_at: Date;
  ends_at: Date;
}

async function lockCampaign(
  m: EntityManager,
  id: string,
  field: string,
  lock = 'FOR UPDATE',
): Promise<CampaignRow> {
  const [row] = isUUID(id)
    ? await m.query(`SELECT status, segment_id, starts_at, ends_at FROM campaign WHERE id = $1 ${lock}`, [id])
    : [];
  if (!row) {
    if (field === 'id') throw new NotFoundError('Campaign', id);
    throw new ValidationError(field, `no campaign ${id}`);
  }
  return row as CampaignRow;
}
