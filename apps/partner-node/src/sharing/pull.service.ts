import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { agentRef, relationshipRef, type MessageInput, nowSeconds } from '#protocol';
import { LedgerService } from '#ledger';
import { TooManyRequestsError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import { AgreementsRepository } from '../agreements/agreements.repository.js';
import { AgreementsService } from '../agreements/agreements.service.js';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { refusalReason } from '../network/refusals.service.js';
import {
  CARE_CATEGORIES,
  RELAY_PATHS,
  type HistoryRequestBody,
  type HistoryResponse,
  type HistoryResult,
} from '#federation-client';
import { KeysService } from '../keys/keys.service.js';
import { EnvelopeReceiver } from './envelope-receiver.service.js';
import { PullReasonChecker } from './pull-reason-checker.js';
import type { PullReason, SharedHistoryReasonInput } from './pull-reason.js';
import { RelayCallError, RelayClient } from './relay-client.js';
import { SHARING_OPTIONS, type SharingOptions } from './sharing.options.js';

/** A holder that could not answer (or whose answer this node could not take): the history is partial. */
const PARTIAL_STATUSES = new Set(['timeout', 'unreachable', 'refused', 'failed']);

export interface PullOutcome {
  holder: string;
  agreementId: string;
  /** Relay status (ok, empty, no-consent, timeout…) or 'refused' when this node refused the answer. */
  status: string;
  stored: number;
  error: string | null;
}

export interface PullResult {
  customerId: string;
  partial: boolean;
  outcomes: PullOutcome[];
}

/**
 * Pull, when an agent opens a customer for a reason (a care case or interaction of the customer):
 * the customer's subject tokens under each active customer-care agreement that lets a partner
 * share with this node, each holder's signed history request (reason, agent), one relay call per
 * holder, in parallel, each with its timeout, then every answer verified and stored
 * (EnvelopeReceiver) as it arrives. A slow or refusing holder only makes the result partial.
 */
@Injectable()
export class PullService {
  private readonly logger = getLogger().child({ context: 'sharing-pull' });

  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @Inject(SHARING_OPTIONS) private readonly options: SharingOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly agreements: AgreementsService,
    private readonly agreementRows: AgreementsRepository,
    private readonly receiver: EnvelopeReceiver,
    private readonly relay: RelayClient,
    private readonly keys: KeysService,
    private readonly ledger: LedgerService,
    private readonly reasons: PullReasonChecker,
  ) {}

  /** Registers the customer's tokens (to link pushed records) and links what is already there. */
  async linkCustomer(
    customerId: string,
  ): Promise<{ holder: string; agreementId: string; tokens: string[] }[]> {
    const me = this.config.partnerId;
    const inbound = await this.agreementRows.liveInbound(me);
    // Tokens under every agreement at once, then one transaction (the desk waits for this).
    const derived = await Promise.all(
      inbound.map(async (agreement) => {
        try {
          const tokens = (await this.agreements.subjectTokensFor(customerId, agreement.agreement_id)).map(
            (t) => t.token,
          );
          return { agreement, tokens };
        } catch (error) {
          this.logger.warn({ agreementId: agreement.agreement_id, err: String(error) }, 'no subject tokens');
          return { agreement, tokens: [] as string[] };
        }
      }),
    );
    const linked = derived.filter((d) => d.tokens.length > 0);
    if (linked.length > 0) {
      await this.dataSource.transaction(async (m) => {
        for (const { agreement, tokens } of linked) {
          await m.query(
            `INSERT INTO shared_subject (agreement_id, token, customer_id) SELECT $1, t, $2 FROM unnest($3::text[]) t
             ON CONFLICT (agreement_id, token) DO UPDATE SET customer_id = EXCLUDED.customer_id`,
            [agreement.agreement_id, customerId, tokens],
          );
          await m.query(
            `UPDATE shared_record SET customer_id = $1
              WHERE customer_id IS NULL AND agreement_id = $2 AND subject_token = ANY ($3::text[])`,
            [customerId, agreement.agreement_id, tokens],
          );
        }
      });
    }
    const requests = linked.map(({ agreement, tokens }) => ({
      holder: agreement.partner_id,
      agreementId: agreement.agreement_id,
      tokens: [...new Set(tokens)].slice(0, 20),
    }));
    return requests;
  }

  /**
   * Pulls the customer's history for `reason` (checked: BAD_USER_INPUT naming `reason`) on behalf of
   * `userId`: at most `pullAgentLimit` pulls per agent and hour here (TOO_MANY_REQUESTS, recorded),
   * one signed history request per holder naming the reason and the agent (opaque references), the
   * pull recorded (table shared_pull, ledger `share.pulled`) before anything leaves.
   */
  async pull(
    customerId: string,
    reasonInput: SharedHistoryReasonInput | null | undefined,
    userId: string | null,
  ): Promise<PullResult> {
    const reason = await this.reasons.check(customerId, reasonInput);
    return this.pullFor(customerId, reason, userId);
  }

  /** A pull for a reason already checked (see pull). */
  async pullFor(customerId: string, reason: PullReason, userId: string | null): Promise<PullResult> {
    await this.checkAgentLimit(customerId, reason, userId);
    const requests = await this.linkCustomer(customerId);
    const signed = await Promise.all(requests.map((r) => this.signRequest(r, reason, userId)));
    await this.dataSource.transaction(async (m) => {
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO shared_pull (user_id, customer_id, reason_kind, reason_id, request_ids, status)
         VALUES ($1, $2, $3, $4, $5, 'sent') RETURNING id`,
        [userId, customerId, reason.kind, reason.id, signed.map((r) => r.jti)],
      );
      await this.ledger.enqueue(m, 'share.pulled', {
        pullId: row!.id,
        userId,
        customerId,
        reasonKind: reason.kind,
        reasonId: reason.id,
        requests: signed.map((r) => ({ holder: r.holder, agreementId: r.agreementId, requestId: r.jti })),
      });
    });
    if (requests.length === 0) return { customerId, partial: false, outcomes: [] };
    // One relay call per holder, in parallel (issue 16): the federation gives each its own request
    // id, and each answer is verified and stored as soon as it arrives.
    const outcomes = await Promise.all(signed.map((r) => this.pullFrom(r)));
    // Records stored by this pull are linked through shared_subject; link any stragglers.
    await this.dataSource.query(
      `UPDATE shared_record r SET customer_id = s.customer_id FROM shared_subject s
        WHERE r.customer_id IS NULL AND s.customer_id = $1 AND s.agreement_id = r.agreement_id AND s.token = r.subject_token`,
      [customerId],
    );
    return {
      customerId,
      partial: outcomes.some((o) => PARTIAL_STATUSES.has(o.status)),
      outcomes,
    };
  }

  /** Asks one holder through the relay; verifies and stores its answer. Never throws. */
  private async pullFrom(r: {
    holder: string;
    agreementId: string;
    tokens: string[];
    request: string;
  }): Promise<PullOutcome> {
    const base = { holder: r.holder, agreementId: r.agreementId };
    const body: HistoryRequestBody = {
      requests: [
        { holder: r.holder, agreementId: r.agreementId, subjectTokens: r.tokens, request: r.request },
      ],
      timeoutMs: this.options.pullTimeoutMs,
    };
    let result: HistoryResult | undefined;
    try {
      const response = await this.relay.post<HistoryResponse>(
        RELAY_PATHS.historyRequests,
        body,
        this.options.pullTimeoutMs + 5000,
      );
      result = response.results.find((x) => x.holder === r.holder && x.agreementId === r.agreementId);
    } catch (error) {
      const code = error instanceof RelayCallError ? error.code : 'FEDERATION_UNAVAILABLE';
      return { ...base, status: 'unreachable', stored: 0, error: code };
    }
    if (!result) return { ...base, status: 'unreachable', stored: 0, error: 'NO_ANSWER' };
    if (result.status !== 'ok' || !result.envelope) {
      return { ...base, status: result.status, stored: 0, error: result.error?.code ?? null };
    }
    try {
      const received = await this.receiver.receive(result.envelope, {
        source: 'history',
        expectedIssuer: result.holder,
        ...(result.sealedRecords ? { sealedRecords: result.sealedRecords } : {}),
      });
      return { ...base, status: 'ok', stored: received.stored, error: null };
    } catch (error) {
      const reason = refusalReason(error);
      if (!reason)
        this.logger.error({ holder: result.holder, err: String(error) }, 'history answer not stored');
      return { ...base, status: reason ? 'refused' : 'failed', stored: 0, error: reason ?? 'INTERNAL' };
    }
  }
  /** TOO_MANY_REQUESTS once this agent made `pullAgentLimit` pulls in the last hour; the refusal is recorded. */
  private async checkAgentLimit(
    customerId: string,
    reason: PullReason,
    userId: string | null,
  ): Promise<void> {
    if (userId === null) return;
    const [row]: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM shared_pull
        WHERE user_id = $1 AND status = 'sent' AND pulled_at > now() - interval '1 hour'`,
      [userId],
    );
    if (Number(row!.n) < this.options.pullAgentLimit) return;
    await this.dataSource.transaction(async (m) => {
      const [pull]: { id: string }[] = await m.query(
        `INSERT INTO shared_pull (user_id, customer_id, reason_kind, reason_id, status)
         VALUES ($1, $2, $3, $4, 'rate-limited') RETURNING id`,
        [userId, customerId, reason.kind, reason.id],
      );
      await this.ledger.enqueue(m, 'share.pull-refused', {
        pullId: pull!.id,
        userId,
        customerId,
        reason: 'RATE_LIMITED_AGENT',
      });
    });
    this.logger.warn({ userId, limit: this.options.pullAgentLimit }, 'pull refused: agent rate limit');
    throw new TooManyRequestsError(
      `at most ${this.options.pullAgentLimit} shared-history pulls per agent and hour`,
      3600,
      { reason: 'RATE_LIMITED_AGENT', limit: this.options.pullAgentLimit },
    );
  }

  /** The history request for one holder, signed by this node: reason and agent as opaque references. */
  private async signRequest(
    target: { holder: string; agreementId: string; tokens: string[] },
    reason: PullReason,
    userId: string | null,
  ): Promise<{ holder: string; agreementId: string; tokens: string[]; jti: string; request: string }> {
    const jti = randomUUID();
    const iat = nowSeconds();
    const claims: MessageInput<'history-request'> = {
      iss: this.config.partnerId,
      aud: target.holder,
      iat,
      exp: iat + this.options.pullRequestTtlSeconds,
      jti,
      agreementId: target.agreementId,
      purpose: 'customer-care',
      subjectTokens: target.tokens,
      categories: [...CARE_CATEGORIES],
      relationship: { kind: reason.kind, ref: relationshipRef(jti, reason.id) },
      agent: agentRef(target.agreementId, userId ?? 'system'),
      relationshipStartedAt: Math.min(iat, Math.floor(reason.startedAt.getTime() / 1000)),
      customerCreatedAt: Math.min(iat, Math.floor(reason.customerCreatedAt.getTime() / 1000)),
    };
    return { ...target, jti, request: await this.keys.sign('history-request', claims) };
  }
}
