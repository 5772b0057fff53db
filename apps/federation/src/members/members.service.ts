import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { jwsHash, type Jwks, nowSeconds } from '#protocol';
import type { ApplicationResponse } from '#federation-client';
import {
  ConflictError,
  NotFoundError,
  RefusedMessageError,
  ValidationError,
} from '#platform/errors/app-errors';
import { paginate, type ConnectionShape } from '#platform/graphql/connection';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { EventsService } from '../events/events.service.js';
import { MessageIntake } from '../intake/message-intake.service.js';
import { FederationKeysService } from '../keys/federation-keys.service.js';
import {
  ApplicationStatus,
  Member,
  MemberKey,
  MemberStatus,
  MembershipApplication,
} from './member.entity.js';
import type { ApplicationsArgs, MembersArgs } from './members.dto.js';
import { checkSigningKey, seconds } from './membership-rules.js';
import { MembershipStatements } from './membership-statements.js';

/**
 * Membership: applications, admission, rejection, suspension, reinstatement and renewal. Each
 * change re-issues the member's signed statement (MembershipStatements); it lives at most
 * STATEMENT_TTL_SECONDS, never past the membership term, and never past the end of a retiring
 * key's grace period (so no statement vouches for a retired key). The directory is
 * DirectoryService's, key rotations KeyRotationService's.
 */
@Injectable()
export class MembersService {
  constructor(
    @Inject(FEDERATION_CONFIG) private readonly config: FederationConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: FederationKeysService,
    private readonly events: EventsService,
    private readonly intake: MessageIntake,
    private readonly statements: MembershipStatements,
  ) {}

  // ---- protocol (HTTP) -------------------------------------------------------------------------

  apply(jws: string, route: string): Promise<ApplicationResponse> {
    return this.intake.accept(
      'membership-application',
      jws,
      { route, selfSigned: true },
      async ({ claims }, m) => {
        if (claims.sub === this.config.federationId) {
          throw new RefusedMessageError('INVALID_CLAIMS', 'a member cannot take the federation id');
        }
        const existing = await m.getRepository(Member).findOneBy({ partnerId: claims.sub });
        if (existing && existing.status !== MemberStatus.REMOVED) {
          throw new RefusedMessageError('ALREADY_MEMBER', `${claims.sub} is already a member`);
        }
        const pending = await m
          .getRepository(MembershipApplication)
          .existsBy({ partnerId: claims.sub, status: ApplicationStatus.PENDING });
        if (pending)
          throw new RefusedMessageError(
            'APPLICATION_PENDING',
            `${claims.sub} already has a pending application`,
          );
        checkSigningKey(claims.jwks);
        await this.checkKeysUnused(m, claims.jwks, claims.sub);
        const [row]: { id: string; submitted_at: Date }[] = await m.query(
          `INSERT INTO membership_application (partner_id, name, endpoint, jwks, jws)
           VALUES ($1, $2, $3, $4, $5) RETURNING id, submitted_at`,
          [claims.sub, claims.name, claims.endpoint, JSON.stringify(claims.jwks), jws],
        );
        return {
          applicationId: row!.id,
          partnerId: claims.sub,
          status: 'pending',
          submittedAt: seconds(row!.submitted_at),
        };
      },
    );
  }

  async application(id: string): Promise<ApplicationResponse> {
    const found = /^[0-9a-f-]{36}$/i.test(id)
      ? await this.dataSource.getRepository(MembershipApplication).findOneBy({ id })
      : null;
    if (!found) throw new NotFoundError('Application', id);
    return {
      applicationId: found.id,
      partnerId: found.partnerId,
      status: found.status,
      submittedAt: seconds(found.submittedAt),
      ...(found.decidedAt ? { decidedAt: seconds(found.decidedAt) } : {}),
    };
  }

  // ---- operators (GraphQL) ---------------------------------------------------------------------

  async approve(applicationId: string, operatorId: string, validUntil?: Date): Promise<Member> {
    const signingKey = await this.keys.signingKey();
    const now = nowSeconds();
    const until = validUntil ? seconds(validUntil) : now + this.config.membershipTermSeconds;
    if (until <= now) throw new ValidationError('validUntil', 'must be in the future');
    const partnerId = await this.dataSource.transaction(async (m) => {
      const application = await this.pendingApplication(m, applicationId);
      const existing = await m.getRepository(Member).findOneBy({ partnerId: application.partnerId });
      if (existing && existing.status !== MemberStatus.REMOVED) {
        throw new ConflictError(`${application.partnerId} is already a member`);
      }
      await this.checkKeysUnused(m, application.jwks, application.partnerId);
      await m.query(
        `INSERT INTO member (partner_id, name, endpoint, status, statement, statement_issued_at, statement_expires_at, valid_until)
         VALUES ($1, $2, $3, 'active', '', now(), now(), to_timestamp($4))
         ON CONFLICT (partner_id) DO UPDATE SET name = $2, endpoint = $3, status = 'active', status_reason = NULL,
           valid_until = to_timestamp($4), admitted_at = now(), updated_at = now()`,
        [application.partnerId, application.name, application.endpoint, until],
      );
      for (const key of application.jwks.keys) {
        await m.getRepository(MemberKey).insert({
          kid: key.kid,
          partnerId: application.partnerId,
          jwk: key,
          addedAt: new Date(now * 1000),
        });
      }
      await m
        .getRepository(MembershipApplication)
        .update(
          { id: applicationId },
          { status: ApplicationStatus.APPROVED, decidedAt: new Date(), decidedBy: operatorId },
        );
      const statement = await this.statements.issue(m, application.partnerId, signingKey, now);
      await this.events.append(
        m,
        'membership.admitted',
        application.partnerId,
        {
          applicationId,
          applicationHash: jwsHash(application.jws),
          kids: application.jwks.keys.map((k) => k.kid),
          validUntil: until,
          statementHash: jwsHash(statement),
        },
        { signed: [statement] },
      );
      return application.partnerId;
    });
    return this.member(partnerId);
  }

  async reject(applicationId: string, operatorId: string, reason: string): Promise<MembershipApplication> {
    await this.dataSource.transaction(async (m) => {
      const application = await this.pendingApplication(m, applicationId);
      await m.getRepository(MembershipApplication).update(
        { id: applicationId },
        {
          status: ApplicationStatus.REJECTED,
          decidedAt: new Date(),
          decidedBy: operatorId,
          decisionReason: reason,
        },
      );
      await this.events.append(m, 'membership.rejected', application.partnerId, {
        applicationId,
        applicationHash: jwsHash(application.jws),
      });
    });
    return this.dataSource.getRepository(MembershipApplication).findOneByOrFail({ id: applicationId });
  }

  /** Suspends at once: its signatures fail verification everywhere, its statement lists no key. */
  suspend(partnerId: string, reason: string): Promise<Member> {
    return this.changeStatus(partnerId, MemberStatus.SUSPENDED, reason, 'membership.suspended');
  }

  reinstate(partnerId: string): Promise<Member> {
    return this.changeStatus(partnerId, MemberStatus.ACTIVE, null, 'membership.reinstated');
  }

  async renew(partnerId: string, validUntil?: Date): Promise<Member> {
    const signingKey = await this.keys.signingKey();
    const now = nowSeconds();
    const until = validUntil ? seconds(validUntil) : now + this.config.membershipTermSeconds;
    if (until <= now) throw new ValidationError('validUntil', 'must be in the future');
    await this.dataSource.transaction(async (m) => {
      await this.lockedMember(m, partnerId);
      await m.query(
        `UPDATE member SET valid_until = to_timestamp($2), updated_at = now() WHERE partner_id = $1`,
        [partnerId, until],
      );
      const statement = await this.statements.issue(m, partnerId, signingKey, now);
      await this.events.append(
        m,
        'membership.renewed',
        partnerId,
        {
          validUntil: until,
          statementHash: jwsHash(statement),
        },
        { signed: [statement] },
      );
    });
    return this.member(partnerId);
  }

  async member(partnerId: string): Promise<Member> {
    const member = await this.dataSource.getRepository(Member).findOneBy({ partnerId });
    if (!member) throw new NotFoundError('Member', partnerId);
    return member;
  }

  keysOf(partnerIds: readonly string[]): Promise<MemberKey[]> {
    return this.dataSource
      .getRepository(MemberKey)
      .find({ where: { partnerId: In([...partnerIds]) }, order: { addedAt: 'ASC', kid: 'ASC' } });
  }

  // ---- internals -------------------------------------------------------------------------------

  private async changeStatus(
    partnerId: string,
    status: MemberStatus,
    reason: string | null,
    event: 'membership.suspended' | 'membership.reinstated',
  ): Promise<Member> {
    const signingKey = await this.keys.signingKey();
    await this.dataSource.transaction(async (m) => {
      const member = await this.lockedMember(m, partnerId);
      if (member.status === MemberStatus.REMOVED) throw new ConflictError(`${partnerId} was removed`);
      if (member.status === status) throw new ConflictError(`${partnerId} is already ${status}`);
      await m.query(
        `UPDATE member SET status = $2, status_reason = $3, updated_at = now() WHERE partner_id = $1`,
        [partnerId, status, reason],
      );
      const statement = await this.statements.issue(m, partnerId, signingKey, nowSeconds());
      await this.events.append(
        m,
        event,
        partnerId,
        { statementHash: jwsHash(statement) },
        { signed: [statement] },
      );
    });
    return this.member(partnerId);
  }

  private async lockedMember(m: EntityManager, partnerId: string): Promise<Member> {
    const member = await m
      .getRepository(Member)
      .createQueryBuilder('m')
      .setLock('pessimistic_write')
      .where('m.partner_id = :partnerId', { partnerId })
      .getOne();
    if (!member) throw new NotFoundError('Member', partnerId);
    return member;
  }

  private async pendingApplication(m: EntityManager, id: string): Promise<MembershipApplication> {
    const application = /^[0-9a-f-]{36}$/i.test(id)
      ? await m
          .getRepository(MembershipApplication)
          .createQueryBuilder('a')
          .setLock('pessimistic_write')
          .where('a.id = :id', { id })
          .getOne()
      : null;
    if (!application) throw new NotFoundError('Application', id);
    if (application.status !== ApplicationStatus.PENDING) {
      throw new ConflictError(`Application ${id} is already ${application.status}`);
    }
    return application;
  }

  private async checkKeysUnused(m: EntityManager, jwks: Jwks, partnerId: string): Promise<void> {
    const used = await m.getRepository(MemberKey).findBy({ kid: In(jwks.keys.map((k) => k.kid)) });
    if (used.length > 0) {
      throw new RefusedMessageError('KEY_IN_USE', `key ${used[0]!.kid} is already registered`, { partnerId });
    }
  }

  /** Applications (of a status, or all), oldest first. */
  applications(args: ApplicationsArgs): Promise<ConnectionShape<MembershipApplication>> {
    const query = this.dataSource.getRepository(MembershipApplication).createQueryBuilder('a');
    if (args.status) query.where('a.status = :status', { status: args.status });
    return paginate(
      query,
      {
        column: 'a.submitted_at',
        value: (a) => a.submittedAt,
        direction: 'ASC',
        idColumn: 'a.id',
        id: (a) => a.id,
      },
      args,
    );
  }

  /** Members (of a status, or all) by partner id. */
  members(args: MembersArgs): Promise<ConnectionShape<Member>> {
    const query = this.dataSource.getRepository(Member).createQueryBuilder('m');
    if (args.status) query.where('m.status = :status', { status: args.status });
    return paginate(
      query,
      {
        column: 'm.partner_id',
        value: (m) => m.partnerId,
        direction: 'ASC',
        idColumn: 'm.partner_id',
        id: (m) => m.partnerId,
      },
      args,
    );
  }
}
