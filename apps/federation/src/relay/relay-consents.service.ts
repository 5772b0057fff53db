import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { jwsHash, type VerifiedMessage } from '#protocol';
import {
  NODE_PATHS,
  type ConsentStatusBody,
  type ConsentStatusResponse,
  type NodeWithdrawalAnswer,
  type WithdrawalRelayBody,
  type WithdrawalRelayResponse,
  type WithdrawalResult,
} from '#federation-client';
import { inTransaction } from '#platform/database/transaction';
import { RefusedMessageError } from '#platform/errors/app-errors';
import { AgreementsRepository } from '../agreements/agreements.repository.js';
import { ConsentReadsRepository } from '../consents/consent-reads.repository.js';
import { EventsService } from '../events/events.service.js';
import { RelayGateway } from './relay-gateway.js';

const WITHDRAWAL_TIMEOUT_MS = 10_000;

/**
 * The relay's consent traffic: a controller's withdrawal carried to every recipient (their signed
 * purge receipts verified and carried back), and the status of an agreement and consents as the
 * registry holds them, told to a party (a requester that is not a recipient learns nothing).
 */
@Injectable()
export class RelayConsentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly gateway: RelayGateway,
    private readonly events: EventsService,
    private readonly agreements: AgreementsRepository,
    private readonly consents: ConsentReadsRepository,
  ) {}

  async withdrawal(
    sender: string,
    body: WithdrawalRelayBody,
    route: string,
  ): Promise<WithdrawalRelayResponse> {
    let consent: { recipients: string[] };
    let verified: VerifiedMessage<'consent-withdrawal'>;
    try {
      verified = await this.gateway.verifyMember('consent-withdrawal', body.withdrawal, sender);
      const row = await this.consents.registration(verified.claims.consentId);
      if (!row) throw new RefusedMessageError('UNKNOWN_CONSENT', 'the consent is not registered');
      if (row.controller !== sender)
        throw new RefusedMessageError('NOT_CONTROLLER', 'only the controller withdraws');
      if (!row.withdrawn_at) {
        throw new RefusedMessageError('CONSENT_NOT_WITHDRAWN', 'register the withdrawal before relaying it');
      }
      consent = row;
    } catch (error) {
      throw await this.gateway.refused(error, 'consent-withdrawal', body.withdrawal, route);
    }
    const { claims } = verified;
    const results = await Promise.all(
      consent.recipients.map(async (recipientId): Promise<WithdrawalResult> => {
        const started = Date.now();
        const member = await this.gateway.member(recipientId);
        if (!member) {
          return {
            recipient: recipientId,
            status: 'unreachable',
            error: { code: 'NOT_MEMBER', message: 'unknown' },
          };
        }
        const outcome = await this.gateway.call<NodeWithdrawalAnswer>(
          member,
          NODE_PATHS.withdrawals,
          body,
          sender,
          WITHDRAWAL_TIMEOUT_MS,
        );
        let result: WithdrawalResult;
        if (!outcome.ok) {
          result = {
            recipient: recipientId,
            status: outcome.kind,
            error: { code: outcome.code, message: outcome.message },
          };
        } else {
          let verifiedReceipt: VerifiedMessage<'purge-receipt'> | undefined;
          try {
            const receipt = await this.gateway.verifyMember(
              'purge-receipt',
              outcome.body.receipt,
              recipientId,
              sender,
            );
            if (receipt.claims.consentId !== claims.consentId) {
              throw new RefusedMessageError('REQUEST_MISMATCH', 'the receipt names another consent');
            }
            verifiedReceipt = receipt;
            result = { recipient: recipientId, status: 'purged', receipt: outcome.body.receipt };
          } catch (error) {
            const refusal = await this.gateway.refused(error, 'purge-receipt', outcome.body.receipt, route);
            const code = refusal instanceof RefusedMessageError ? refusal.reason : 'INTERNAL';
            result = { recipient: recipientId, status: 'refused', error: { code, message: String(refusal) } };
          }
          if (verifiedReceipt) {
            const receipt = outcome.body.receipt;
            const { claims: purged, header } = verifiedReceipt;
            await inTransaction(this.dataSource, (m) =>
              this.events.append(
                m,
                'purge.receipt-relayed',
                purged.jti,
                {
                  from: recipientId,
                  to: sender,
                  kid: header.kid,
                  consentId: claims.consentId,
                  withdrawalId: claims.jti,
                  envelopeIds: purged.envelopeIds,
                  recordsPurged: purged.recordsPurged,
                  receiptHash: jwsHash(receipt),
                },
                { signed: [receipt] },
              ),
            );
          }
        }
        await this.gateway.log(
          'withdrawal',
          claims.jti,
          sender,
          recipientId,
          claims.consentId,
          result.status,
          result.error?.code ?? null,
          Date.now() - started,
        );
        return result;
      }),
    );
    return { consentId: claims.consentId, results };
  }

  async consentStatus(requester: string, body: ConsentStatusBody): Promise<ConsentStatusResponse> {
    const a = await this.agreements.ofParty(body.agreementId, requester);
    // The other party shares with the requester: mutual, or one-way with the other as parties[0].
    const live = !!a && a.live && (a.direction === 'mutual' || a.party_b === requester);
    const rows = await this.consents.registrationStates(body.consentIds);
    return {
      agreement: {
        agreementId: body.agreementId,
        live,
        purposes: a?.purposes ?? [],
        categories: a?.categories ?? [],
        retentionDays: a?.retention_days ?? 0,
      },
      consents: body.consentIds.map((consentId) => {
        const row = rows.find((r) => r.consent_id === consentId);
        // A requester that is not a recipient learns nothing about the consent.
        if (!row || !row.recipients.includes(requester)) {
          return { consentId, controller: null, live: false, withdrawn: false, purposes: [], categories: [] };
        }
        return {
          consentId,
          controller: row.controller,
          live: row.live,
          withdrawn: row.withdrawn,
          purposes: row.purposes,
          categories: row.categories,
        };
      }),
    };
  }
}
