import { setImmediate as nextTurn } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { FederationError, type ConsentBatchItem } from '#federation-client';
import { nowSeconds } from '#protocol';
import { getLogger } from '#platform/logging/logger';
import { fromPackedTextArray, packedTextArray } from '#platform/database/packed-text-array';
import { arrayLiteral } from '#platform/database/array-literal';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { KeysService, type ActiveKeys } from '../keys/keys.service.js';
import { isUnavailable } from '../network/federation-errors.js';
import { NetworkService } from '../network/network.service.js';
import {
  ALREADY_REGISTERED,
  ALREADY_WITHDRAWN,
  WITHDRAWAL_TTL_SECONDS,
  minuteNow,
  refusalCode,
  registrationClaims,
  type DueRow,
  type RegistrationSource,
} from './consent-registration-batches.js';

/** The federation's answers to registrations sent: registered, refused (with its reason), or none (an outage). */
export interface RegistrationOutcomes {
  registered: DueRow[];
  refused: { row: DueRow; code: string }[];
  outage: boolean;
}

/** Registrations claimed and handed to the signer per turn of the event loop. */
const SIGN_SLICE = 500;

/**
 * What a caller that has just read them passes to `signRegistrations` (the membership, checked
 * active, and the active keys of its call) so that they are not read again.
 */
export interface SigningContext {
  federationId: string;
  keys: ActiveKeys;
}

/**
 * The federation side of consent registration (issue 16): signs registrations and withdrawals
 * when they first leave (kept for retries), sends them (a pair's batch, or one by one) and stores
 * each answer. What leaves when is ConsentRegistrationsService's job.
 */
@Injectable()
export class ConsentRegistrationSender {
  private readonly logger = getLogger().child({ context: 'consent-registrations' });

  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly network: NetworkService,
    private readonly keys: KeysService,
  ) {}

  /**
   * One request of a pair's batch: the federation's answer for each row, not stored yet (the
   * caller stores a round's answers together, with the consents' summaries: see `storeOutcomes`).
   */
  async registerBatch(
    request: { rows: DueRow[]; jwss: string[] },
    stopped: () => boolean,
  ): Promise<RegistrationOutcomes> {
    let items: ConsentBatchItem[] = [];
    try {
      // A dropped connection or a busy federation is retried twice, briefly, before the batch waits
      // for a later flush: sending the same messages again is safe (REPLAYED, CONSENT_EXISTS).
      for (let attempt = 1; ; attempt++) {
        try {
          items = (await this.network.client().registerConsents(request.jwss)).results;
          break;
        } catch (error) {
          if (!isUnavailable(error) || attempt === 3 || stopped()) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
        }
      }
    } catch (error) {
      if (isUnavailable(error)) return { registered: [], refused: [], outage: true };
      // A federation without the batch route (or refusing the batch as a whole): one at a time.
      this.logger.warn({ reason: refusalCode(error) }, 'batch registration refused; registering one by one');
      const one: RegistrationOutcomes = { registered: [], refused: [], outage: false };
      for (const row of request.rows) {
        const outcome = await this.registerOne(row);
        if (outcome === 'unavailable') return { ...one, outage: true };
        if (outcome === 'registered') one.registered.push(row);
        else one.refused.push({ row, code: outcome.refused });
      }
      return one;
    }
    const outcomes: RegistrationOutcomes = { registered: [], refused: [], outage: false };
    request.rows.forEach((row, i) => {
      const item = items[i];
      if (
        item?.status === 'registered' ||
        (item?.reason !== undefined && ALREADY_REGISTERED.has(item.reason))
      ) {
        outcomes.registered.push(row);
      } else {
        const code = (item?.reason ?? 'NO_ANSWER').slice(0, 64);
        outcomes.refused.push({ row, code });
        this.logger.warn(
          { registrationId: row.registration_id, reason: code },
          'federation refused a consent registration',
        );
      }
    });
    return outcomes;
  }

  /**
   * Stores the federation's answers (in the caller's transaction, two statements whatever their
   * number). An answer lost to a crash before this is asked again: the federation then answers
   * CONSENT_EXISTS or REPLAYED, which counts as registered.
   */
  async storeOutcomes(
    m: EntityManager,
    outcomes: Pick<RegistrationOutcomes, 'registered' | 'refused'>,
  ): Promise<void> {
    const { registered, refused } = outcomes;
    if (registered.length > 0) {
      await m.query(
        `UPDATE consent_registration SET status = 'registered', registered_at = now(), error = NULL
          WHERE registration_id = ANY ($1::uuid[])`,
        [arrayLiteral(registered.map((r) => r.registration_id))],
      );
    }
    if (refused.length > 0) {
      await m.query(
        `UPDATE consent_registration r SET status = 'refused', error = u.code,
                withdrawal_status = CASE WHEN r.withdrawal_status IS NULL THEN NULL ELSE 'not_needed' END
           FROM unnest($1::uuid[], $2::text[]) AS u(id, code) WHERE r.registration_id = u.id`,
        [refused.map((r) => r.row.registration_id), refused.map((r) => r.code)],
      );
    }
  }

  /**
   * `registrationJws` for a pair's rows: those read with their JWS (signed when planned, or by an
   * earlier flush) as they are, the others signed and stored together.
   */
  async registrationJwsMany(rows: readonly DueRow[]): Promise<string[]> {
    const unsigned = rows.filter((r) => !r.registration_jws);
    const signed = new Map<string, string>();
    if (unsigned.length > 0) {
      const data: (RegistrationSource & { registration_id: string; registration_jws: string | null })[] =
        await this.dataSource.query(
          `SELECT r.registration_id, r.registration_jws, c.receipt_jws, c.purposes, c.categories, c.subject_tokens,
                c.valid_from, c.valid_until, r.commitment_salt
           FROM consent_registration r JOIN consent c ON c.id = r.consent_id
          WHERE r.registration_id = ANY ($1::uuid[])`,
          [unsigned.map((r) => r.registration_id)],
        );
      for (const d of data) if (d.registration_jws) signed.set(d.registration_id, d.registration_jws);
      const missing = data.filter((d) => !d.registration_jws);
      if (missing.length > 0) {
        const rowOf = new Map(unsigned.map((r) => [r.registration_id, r]));
        const jwss = await this.signRegistrations(
          missing.map((consent) => ({ row: rowOf.get(consent.registration_id)!, source: consent })),
        );
        const fresh = new Map<string, string>();
        missing.forEach((consent, i) => fresh.set(consent.registration_id, jwss[i]!));
        // A concurrent flush may have signed some first: theirs is kept, and read back.
        const stored: { registration_id: string; registration_jws: string }[] = await this.dataSource.query(
          `WITH s AS (
             UPDATE consent_registration r SET registration_jws = u.jws
               FROM unnest($1::uuid[], ${fromPackedTextArray('$2')}) AS u(id, jws)
              WHERE r.registration_id = u.id AND r.registration_jws IS NULL
             RETURNING r.registration_id)
           SELECT r.registration_id, r.registration_jws FROM consent_registration r
            WHERE r.registration_id = ANY ($1::uuid[]) AND r.registration_id NOT IN (SELECT registration_id FROM s)`,
          [[...fresh.keys()], packedTextArray([...fresh.values()])],
        );
        for (const row of stored) fresh.set(row.registration_id, row.registration_jws);
        for (const [id, jws] of fresh) signed.set(id, jws);
      }
    }
    return rows.map((row) => row.registration_jws ?? signed.get(row.registration_id)!);
  }

  /**
   * Signs registrations (their `iat` this minute): signed on the threadpool, all awaited together,
   * so that every core signs and the event loop stays free.
   */
  async signRegistrations(
    items: readonly { row: DueRow; source: RegistrationSource }[],
    read?: SigningContext,
  ): Promise<string[]> {
    if (items.length === 0) return [];
    const federationId = read?.federationId ?? (await this.network.requireActiveMember()).federationId;
    const sign = read?.keys.signOffThread ?? (await this.keys.signerOffThread());
    const context = {
      partnerId: this.config.partnerId,
      federationId,
      iat: minuteNow(),
      now: nowSeconds(),
    };
    const slices: Promise<string[]>[] = [];
    for (let from = 0; from < items.length; from += SIGN_SLICE) {
      // A turn of the event loop between slices: a bulk file plans a part's registrations while
      // its previous part is being stored, and one synchronous pass over a part's 4,000 held that
      // part's next statement back by 100-150 ms each time.
      if (from > 0) await nextTurn();
      const slice = Promise.all(
        items
          .slice(from, from + SIGN_SLICE)
          .map(({ row, source }) => sign('consent-registration', registrationClaims(row, source, context))),
      );
      // Awaited below; a failure must not count as unhandled while the next slice waits its turn.
      slice.catch(() => undefined);
      slices.push(slice);
    }
    return (await Promise.all(slices)).flat();
  }

  /** One registration sent alone (a federation without the batch route): its answer, not stored. */
  private async registerOne(row: DueRow): Promise<'registered' | 'unavailable' | { refused: string }> {
    const jws = await this.registrationJws(row);
    try {
      await this.network.client().registerConsent(jws);
    } catch (error) {
      if (isUnavailable(error)) return 'unavailable';
      if (!(error instanceof FederationError) || !ALREADY_REGISTERED.has(error.reason ?? error.code)) {
        this.logger.warn(
          { registrationId: row.registration_id, reason: refusalCode(error) },
          'federation refused a consent registration',
        );
        return { refused: refusalCode(error) };
      }
    }
    return 'registered';
  }

  /** The registration's JWS, signed when it first leaves (so that its `iat` is that moment) and kept for retries. */
  private async registrationJws(row: DueRow): Promise<string> {
    const [jws] = await this.registrationJwsMany([row]);
    return jws!;
  }

  async withdraw(row: DueRow): Promise<'registered' | 'refused' | 'unavailable'> {
    const jws = await this.withdrawalJws(row);
    try {
      await this.network.client().withdrawConsent(row.registration_id, jws);
    } catch (error) {
      if (isUnavailable(error)) return 'unavailable';
      if (!(error instanceof FederationError) || !ALREADY_WITHDRAWN.has(error.reason ?? error.code)) {
        await this.dataSource.query(
          `UPDATE consent_registration SET withdrawal_status = 'refused', error = $2 WHERE registration_id = $1`,
          [row.registration_id, refusalCode(error)],
        );
        this.logger.warn(
          { registrationId: row.registration_id, reason: refusalCode(error) },
          'federation refused a withdrawal',
        );
        return 'refused';
      }
    }
    await this.dataSource.query(
      `UPDATE consent_registration SET withdrawal_status = 'registered', withdrawal_registered_at = now()
        WHERE registration_id = $1`,
      [row.registration_id],
    );
    return 'registered';
  }

  private async withdrawalJws(row: DueRow): Promise<string> {
    const [stored]: { withdrawal_jws: string | null }[] = await this.dataSource.query(
      `SELECT withdrawal_jws FROM consent_registration WHERE registration_id = $1`,
      [row.registration_id],
    );
    if (stored?.withdrawal_jws) return stored.withdrawal_jws;
    const membership = await this.network.requireActiveMember();
    const now = minuteNow();
    // Signed when it leaves: `withdrawnAt` is when this registration's withdrawal left, not the
    // second the customer withdrew (which the receipt's withdrawal at the controller keeps).
    const jws = await this.keys.sign('consent-withdrawal', {
      iss: this.config.partnerId,
      aud: [membership.federationId, row.recipient],
      iat: now,
      exp: now + WITHDRAWAL_TTL_SECONDS,
      consentId: row.registration_id,
      withdrawnAt: now,
    });
    await this.dataSource.query(
      `UPDATE consent_registration SET withdrawal_jws = $2 WHERE registration_id = $1 AND withdrawal_jws IS NULL`,
      [row.registration_id, jws],
    );
    return jws;
  }
}
