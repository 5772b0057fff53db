import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { jwsHash } from '#protocol';
import type { AgreementChainLink, AgreementView, RefusalReason } from '#federation-client';
import { LedgerService } from '#ledger';
import { RefusedMessageError } from '#platform/errors/app-errors';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { KeysService } from '../keys/keys.service.js';
import { fromFederation } from '../network/federation-errors.js';
import { NetworkService } from '../network/network.service.js';
import { RefusalsService } from '../network/refusals.service.js';
import { effectiveState, peekIat, summaryMatchesTerms, transitionFollows } from './agreement-chain.js';
import { AgreementState, type DataCategory, type Purpose } from './agreement.enums.js';
import { SharingAgreement } from './agreement.entity.js';

/**
 * The local mirror of this node's agreements: each agreement's signed chain, pulled from the
 * federation, verified under the members' keys (the chain's rules are agreement-chain.ts) before it
 * is stored; new links go to the ledger, a chain that does not verify is refused and recorded.
 */
@Injectable()
export class AgreementMirror {
  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly network: NetworkService,
    private readonly keys: KeysService,
    private readonly refusals: RefusalsService,
    private readonly ledger: LedgerService,
  ) {}

  /** Pulls this node's agreements from the federation and mirrors those whose chains verify. */
  async refresh(): Promise<{ agreements: number; refused: number }> {
    await this.network.requireActiveMember();
    let views: AgreementView[];
    try {
      views = await this.network.client().agreements(await this.keys.requestSigner());
    } catch (error) {
      throw fromFederation(error, 'the agreements list');
    }
    let refused = 0;
    for (const view of views) {
      try {
        await this.store(view);
      } catch (error) {
        if (!(error instanceof RefusedMessageError)) throw error;
        refused += 1;
      }
    }
    return { agreements: views.length - refused, refused };
  }

  /**
   * Verifies an agreement's signed chain under the members' keys (each message judged at the time
   * it was signed) and that the federation's summary matches it, then stores the mirror. New links
   * go to the ledger. A chain that does not verify is refused (recorded) and nothing is stored.
   */
  async store(view: AgreementView): Promise<void> {
    const verified = await this.verifyChain(view);
    await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(SharingAgreement);
      const existing = await repo
        .createQueryBuilder('a')
        .setLock('pessimistic_write')
        .where('a.agreement_id = :id', { id: view.agreementId })
        .getOne();
      const known = existing?.chain.length ?? 0;
      if (existing && verified.chain.length < known) {
        throw await this.refusals.refuse(
          new RefusedMessageError(
            'STATE_MISMATCH',
            'the federation returned a shorter chain than the one mirrored',
          ),
          'agreement-transition',
          'agreements',
          undefined,
        );
      }
      const row = {
        ...verified.row,
        refreshedAt: new Date(),
      };
      if (existing) await repo.update({ agreementId: view.agreementId }, row);
      else await repo.insert(row);
      for (const link of verified.chain.slice(known)) {
        await this.ledger.enqueue(m, `agreement.${link.to}`, {
          agreementId: view.agreementId,
          by: link.by,
          jws: link.jws,
        });
      }
    });
  }

  private async verifyChain(view: AgreementView): Promise<{
    row: Omit<SharingAgreement, 'refreshedAt' | 'createdAt' | 'updatedAt'>;
    chain: AgreementChainLink[];
  }> {
    const refuse = async (reason: RefusalReason, message: string, jws?: string, kind = 'agreement') =>
      this.refusals.refuse(new RefusedMessageError(reason, message), kind, 'agreements', jws);
    const [first, ...rest] = view.chain;
    if (!first || first.kind !== 'agreement') {
      throw await refuse('MALFORMED', `agreement ${view.agreementId} has no signed terms`);
    }
    const terms = await this.network.verifyMemberMessage(
      'agreement',
      first.jws,
      { audience: null, now: peekIat(first.jws) },
      'agreements',
    );
    const t = terms.claims;
    const hash = jwsHash(first.jws);
    if (!summaryMatchesTerms(t, hash, view)) {
      throw await refuse(
        'STATE_MISMATCH',
        `agreement ${view.agreementId} differs from its signed terms`,
        first.jws,
      );
    }
    if (!t.parties.includes(this.config.partnerId)) {
      throw await refuse('NOT_A_PARTY', `agreement ${view.agreementId} is not one of this node's`, first.jws);
    }
    let state: AgreementState = AgreementState.PROPOSED;
    for (const link of rest) {
      if (link.kind !== 'agreement-transition') {
        throw await refuse('MALFORMED', 'an agreement chain holds one set of terms', link.jws);
      }
      const { claims } = await this.network.verifyMemberMessage(
        'agreement-transition',
        link.jws,
        { audience: null, now: peekIat(link.jws) },
        'agreements',
      );
      if (!transitionFollows(t, hash, state, claims)) {
        throw await refuse(
          'STATE_MISMATCH',
          'an agreement transition does not follow the chain',
          link.jws,
          'agreement-transition',
        );
      }
      state = claims.to as AgreementState;
    }
    const partnerId = t.parties[0] === this.config.partnerId ? t.parties[1] : t.parties[0];
    const validFrom = new Date(t.validFrom * 1000);
    const validUntil = new Date(t.validUntil * 1000);
    return {
      chain: view.chain,
      row: {
        agreementId: t.agreementId,
        version: t.version,
        proposer: t.iss,
        partyA: t.parties[0],
        partyB: t.parties[1],
        partnerId,
        direction: t.direction,
        purposes: t.purposes as Purpose[],
        categories: t.categories as DataCategory[],
        retentionDays: t.retentionDays,
        minCohortSize: t.minCohortSize,
        validFrom,
        validUntil,
        state: effectiveState(state, validFrom, validUntil, new Date()),
        agreementHash: hash,
        chain: view.chain,
      },
    };
  }
}
