import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, In, type EntityManager } from 'typeorm';
import { jwsHash, nowSeconds } from '#protocol';
import type { AgreementStateValue, AgreementView } from '#federation-client';
import { RefusedMessageError } from '#platform/errors/app-errors';
import { paginate, type ConnectionShape } from '#platform/graphql/connection';
import { EventsService } from '../events/events.service.js';
import { MessageIntake } from '../intake/message-intake.service.js';
import { Member, MemberStatus } from '../members/member.entity.js';
import { agreementInForce } from './agreements.queries.js';
import type { AgreementsArgs } from './agreements.resolver.js';
import { Agreement, AgreementMessage, AgreementState, effectiveState } from './agreement.entity.js';

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/**
 * Agreements and their signed chains. The proposer signs the terms; every later change is a
 * transition signed by the party that makes it, bound to the terms by agreementHash.
 */
@Injectable()
export class AgreementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly intake: MessageIntake,
    private readonly events: EventsService,
  ) {}

  async propose(jws: string, route: string): Promise<AgreementView> {
    const agreementId = await this.intake.accept('agreement', jws, { route }, async ({ claims }, m) => {
      const members = await m.getRepository(Member).findBy({ partnerId: In([...claims.parties]) });
      for (const party of claims.parties) {
        const member = members.find((candidate) => candidate.partnerId === party);
        if (!member || member.status !== MemberStatus.ACTIVE || member.validUntil <= new Date()) {
          throw new RefusedMessageError('PARTY_NOT_MEMBER', `${party} is not an active member`);
        }
      }
      if (claims.validUntil <= nowSeconds()) {
        throw new RefusedMessageError('EXPIRED', 'the agreement would already be over');
      }
      if (await m.getRepository(Agreement).existsBy({ agreementId: claims.agreementId })) {
        throw new RefusedMessageError('AGREEMENT_EXISTS', `agreement ${claims.agreementId} already exists`);
      }
      const hash = jwsHash(jws);
      await m.query(
        `INSERT INTO agreement (agreement_id, version, proposer, party_a, party_b, direction, purposes, categories,
           retention_days, min_cohort_size, valid_from, valid_until, state, agreement_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, to_timestamp($11), to_timestamp($12), 'proposed', $13)`,
        [
          claims.agreementId,
          claims.version,
          claims.iss,
          claims.parties[0],
          claims.parties[1],
          claims.direction,
          claims.purposes,
          claims.categories,
          claims.retentionDays,
          claims.minCohortSize,
          claims.validFrom,
          claims.validUntil,
          hash,
        ],
      );
      await this.appendMessage(
        m,
        claims.agreementId,
        'agreement',
        jws,
        claims.iss,
        null,
        AgreementState.PROPOSED,
      );
      await this.events.append(
        m,
        'agreement.proposed',
        claims.agreementId,
        {
          version: claims.version,
          parties: claims.parties,
          proposer: claims.iss,
          purposes: claims.purposes,
          categories: claims.categories,
          direction: claims.direction,
          validFrom: claims.validFrom,
          validUntil: claims.validUntil,
          messageHash: hash,
        },
        { signed: [jws] },
      );
      return claims.agreementId;
    });
    return this.view(agreementId);
  }

  async transition(agreementId: string, jws: string, route: string): Promise<AgreementView> {
    await this.intake.accept('agreement-transition', jws, { route }, async ({ claims }, m) => {
      if (claims.agreementId !== agreementId) {
        throw new RefusedMessageError('STATE_MISMATCH', 'the transition names another agreement');
      }
      const agreement = await m
        .getRepository(Agreement)
        .createQueryBuilder('a')
        .setLock('pessimistic_write')
        .where('a.agreement_id = :agreementId', { agreementId })
        .getOne();
      if (!agreement)
        throw new RefusedMessageError('UNKNOWN_AGREEMENT', `agreement ${agreementId} does not exist`);
      if (claims.iss !== agreement.partyA && claims.iss !== agreement.partyB) {
        throw new RefusedMessageError('WRONG_PARTY', `${claims.iss} is not a party to ${agreementId}`);
      }
      if (claims.version !== agreement.version || claims.agreementHash !== agreement.agreementHash) {
        throw new RefusedMessageError('STATE_MISMATCH', 'the transition is bound to other terms');
      }
      const now = new Date();
      const current = effectiveState(agreement, now);
      if (claims.from !== current) {
        throw new RefusedMessageError('STATE_MISMATCH', `the agreement is ${current}, not ${claims.from}`);
      }
      const to = claims.to as AgreementState;
      const events: [
        'agreement.accepted' | 'agreement.activated' | 'agreement.terminated',
        AgreementStateValue,
      ][] = [];
      let stored: AgreementState;
      switch (to) {
        case AgreementState.ACCEPTED:
          if (claims.iss === agreement.proposer) {
            throw new RefusedMessageError('WRONG_PARTY', 'only the party that did not propose can accept');
          }
          events.push(['agreement.accepted', 'accepted']);
          stored = AgreementState.ACCEPTED;
          if (agreement.validFrom <= now) {
            stored = AgreementState.ACTIVE;
            events.push(['agreement.activated', 'active']);
          }
          break;
        case AgreementState.ACTIVE:
          if (agreement.validFrom > now) {
            throw new RefusedMessageError(
              'TRANSITION_NOT_ALLOWED',
              'the agreement is not valid before validFrom',
            );
          }
          stored = AgreementState.ACTIVE;
          events.push(['agreement.activated', 'active']);
          break;
        case AgreementState.TERMINATED:
          stored = AgreementState.TERMINATED;
          events.push(['agreement.terminated', 'terminated']);
          break;
        default:
          throw new RefusedMessageError('TRANSITION_NOT_ALLOWED', `nobody signs "${to}": it is computed`);
      }
      await m.query(`UPDATE agreement SET state = $2, updated_at = now() WHERE agreement_id = $1`, [
        agreementId,
        stored,
      ]);
      await this.appendMessage(m, agreementId, 'agreement-transition', jws, claims.iss, claims.from, to);
      for (const [type, state] of events) {
        await this.events.append(
          m,
          type,
          agreementId,
          {
            by: claims.iss,
            state,
            ...(claims.reason ? { reason: claims.reason } : {}),
            messageHash: jwsHash(jws),
          },
          { signed: [jws] },
        );
      }
    });
    return this.view(agreementId);
  }

  /** A member's agreements, newest first, each with its signed chain. */
  async listFor(party: string): Promise<AgreementView[]> {
    const agreements = await this.dataSource
      .getRepository(Agreement)
      .createQueryBuilder('a')
      .where(
        new Brackets((w) =>
          w.where('a.party_a = :party', { party }).orWhere('a.party_b = :party', { party }),
        ),
      )
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.agreement_id', 'ASC')
      .getMany();
    const messages = await this.messagesOf(agreements.map((a) => a.agreementId));
    return agreements.map((a) =>
      toView(
        a,
        messages.filter((msg) => msg.agreementId === a.agreementId),
      ),
    );
  }

  messagesOf(agreementIds: readonly string[]): Promise<AgreementMessage[]> {
    if (agreementIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(AgreementMessage)
      .find({ where: { agreementId: In([...agreementIds]) }, order: { agreementId: 'ASC', seq: 'ASC' } });
  }

  private async view(agreementId: string): Promise<AgreementView> {
    const agreement = await this.dataSource.getRepository(Agreement).findOneByOrFail({ agreementId });
    return toView(agreement, await this.messagesOf([agreementId]));
  }

  private async appendMessage(
    m: EntityManager,
    agreementId: string,
    kind: 'agreement' | 'agreement-transition',
    jws: string,
    signedBy: string,
    from: string | null,
    to: string,
  ): Promise<void> {
    await m.query(
      `INSERT INTO agreement_message (agreement_id, seq, kind, jws, signed_by, from_state, to_state)
       VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM agreement_message WHERE agreement_id = $1), $2, $3, $4, $5, $6)`,
      [agreementId, kind, jws, signedBy, from, to],
    );
  }

  /** Agreements, newest first, of a party and in a state (state null or left out: any). */
  list(args: AgreementsArgs): Promise<ConnectionShape<Agreement>> {
    const query = this.dataSource.getRepository(Agreement).createQueryBuilder('a');
    if (args.party) {
      const party = args.party;
      query.andWhere(
        new Brackets((w) =>
          w.where('a.party_a = :party', { party }).orWhere('a.party_b = :party', { party }),
        ),
      );
    }
    // state: null (an explicit "any state") filters nothing, as when it is left out.
    switch (args.state ?? undefined) {
      case undefined:
        break;
      case AgreementState.EXPIRED:
        query.andWhere(`a.state <> 'terminated' AND a.valid_until <= now()`);
        break;
      case AgreementState.ACTIVE:
        query.andWhere(agreementInForce('a'));
        break;
      case AgreementState.ACCEPTED:
        query.andWhere(`a.state = 'accepted' AND a.valid_from > now() AND a.valid_until > now()`);
        break;
      case AgreementState.TERMINATED:
        query.andWhere(`a.state = 'terminated'`);
        break;
      default:
        query.andWhere(`a.state = :state AND a.valid_until > now()`, { state: args.state });
    }
    return paginate(
      query,
      {
        column: 'a.created_at',
        value: (a) => a.createdAt,
        direction: 'DESC',
        idColumn: 'a.agreement_id',
        id: (a) => a.agreementId,
      },
      args,
    );
  }
}

function toView(a: Agreement, messages: AgreementMessage[]): AgreementView {
  return {
    agreementId: a.agreementId,
    version: a.version,
    parties: [a.partyA, a.partyB],
    proposer: a.proposer,
    direction: a.direction as AgreementView['direction'],
    purposes: a.purposes as AgreementView['purposes'],
    categories: a.categories as AgreementView['categories'],
    validFrom: seconds(a.validFrom),
    validUntil: seconds(a.validUntil),
    state: effectiveState(a),
    agreementHash: a.agreementHash,
    chain: messages.map((msg) => ({
      kind: msg.kind as 'agreement' | 'agreement-transition',
      jws: msg.jws,
      by: msg.signedBy,
      ...(msg.fromState ? { from: msg.fromState as AgreementStateValue } : {}),
      to: msg.toState as AgreementStateValue,
      at: seconds(msg.receivedAt),
    })),
  };
}
