import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { getLogger } from '#platform/logging/logger';
import { AgreementsService } from '../agreements/agreements.service.js';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { refusalReason } from '../network/refusals.service.js';
import { RELAY_PATHS, type HistoryRequestBody, type HistoryResponse } from '#federation-client';
import { EnvelopeReceiver } from './envelope-receiver.service.js';
import { RelayCallError, RelayClient } from './relay-client.js';
import { SHARING_OPTIONS, type SharingOptions } from './sharing.options.js';

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
 * Pull, when an agent opens a customer: the customer's subject tokens under each active
 * customer-care agreement that lets a partner share with this node, one request through the
 * federation relay (which asks the holders in parallel, each with its timeout), then every answer
 * verified and stored (EnvelopeReceiver). A slow or refusing holder only makes the result partial.
 */
@Injectable()
export class PullService {
  private readonly logger = getLogger().child({ context: 'sharing-pull' });

  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @Inject(SHARING_OPTIONS) private readonly options: SharingOptions,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly agreements: AgreementsService,
    private readonly receiver: EnvelopeReceiver,
    private readonly relay: RelayClient,
  ) {}

  /** Registers the customer's tokens (to link pushed records) and links what is already there. */
  async linkCustomer(
    customerId: string,
  ): Promise<{ holder: string; agreementId: string; tokens: string[] }[]> {
    const me = this.config.partnerId;
    const inbound: { agreement_id: string; partner_id: string }[] = await this.dataSource.query(
      `SELECT agreement_id, partner_id FROM sharing_agreement
        WHERE state IN ('accepted','active') AND valid_from <= now() AND valid_until > now()
          AND 'customer-care' = ANY (purposes) AND (direction = 'mutual' OR party_b = $1)
        ORDER BY partner_id, agreement_id`,
      [me],
    );
    const requests: { holder: string; agreementId: string; tokens: string[] }[] = [];
    for (const agreement of inbound) {
      let tokens: string[];
      try {
        tokens = (await this.agreements.subjectTokensFor(customerId, agreement.agreement_id)).map(
          (t) => t.token,
        );
      } catch (error) {
        this.logger.warn({ agreementId: agreement.agreement_id, err: String(error) }, 'no subject tokens');
        continue;
      }
      if (tokens.length === 0) continue;
      await this.dataSource.transaction(async (m) => {
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
      });
      requests.push({
        holder: agreement.partner_id,
        agreementId: agreement.agreement_id,
        tokens: tokens.slice(0, 20),
      });
    }
    return requests;
  }

  async pull(customerId: string): Promise<PullResult> {
    const requests = await this.linkCustomer(customerId);
    if (requests.length === 0) return { customerId, partial: false, outcomes: [] };
    const body: HistoryRequestBody = {
      requests: requests.map((r) => ({
        holder: r.holder,
        agreementId: r.agreementId,
        subjectTokens: r.tokens,
      })),
      timeoutMs: this.options.pullTimeoutMs,
    };
    let response: HistoryResponse;
    try {
      response = await this.relay.post<HistoryResponse>(
        RELAY_PATHS.historyRequests,
        body,
        this.options.pullTimeoutMs + 5000,
      );
    } catch (error) {
      const code = error instanceof RelayCallError ? error.code : 'FEDERATION_UNAVAILABLE';
      return {
        customerId,
        partial: true,
        outcomes: requests.map((r) => ({
          holder: r.holder,
          agreementId: r.agreementId,
          status: 'unreachable',
          stored: 0,
          error: code,
        })),
      };
    }
    const outcomes = await Promise.all(
      response.results.map(async (result): Promise<PullOutcome> => {
        const base = { holder: result.holder, agreementId: result.agreementId };
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
      }),
    );
    // Records stored by this pull are linked through shared_subject; link any stragglers.
    await this.dataSource.query(
      `UPDATE shared_record r SET customer_id = s.customer_id FROM shared_subject s
        WHERE r.customer_id IS NULL AND s.customer_id = $1 AND s.agreement_id = r.agreement_id AND s.token = r.subject_token`,
      [customerId],
    );
    return {
      customerId,
      partial: response.partial || outcomes.some((o) => o.status === 'refused' || o.status === 'failed'),
      outcomes,
    };
  }
}
