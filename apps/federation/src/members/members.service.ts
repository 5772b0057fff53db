import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { jwsHash, signMessage, type Ed25519PrivateJwk, type Jwks, nowSeconds } from '#protocol';
import type { ApplicationResponse, DirectoryEntry, DirectoryKey } from '#federation-client';
import {
  ConflictError,
  NotFoundError,
  RefusedMessageError,
  ValidationError,
} from '#platform/errors/app-errors';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { EventsService } from '../events/events.service.js';
import { MessageIntake } from '../intake/message-intake.service.js';
import { FederationKeysService } from '../keys/federation-keys.service.js';
import {
  ApplicationStatus,
  Member,
  MemberKey,
  MemberKeyState,
  MemberStatus,
  MembershipApplication,
  memberKeyState,
} from './member.entity.js';

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/**
 * Membership: applications, admission, suspension, key rotation, and the signed directory.
 * Every statement is signed by the federation's current key and re-issued on each change; it
 * lives at most STATEMENT_TTL_SECONDS, never past the membership term, and never past the end of
 * a retiring key's grace period (so no statement vouches for a retired key).
 */
@Injectable()
export class MembersService {
  constructor(
    @Inject(FEDERATION_CONFIG) private readonly config: FederationConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: FederationKeysService,
    private readonly events: EventsService,
    private readonly intake: MessageIntake,
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

  async rotateKeys(partnerId: string, jws: string, route: string): Promise<DirectoryEntry> {
    const signingKey = await this.keys.signingKey();
    await this.intake.accept('key-rotation', jws, { route }, async ({ claims }, m) => {
      if (claims.iss !== partnerId) {
        throw new RefusedMessageError('NOT_THE_MEMBER', 'a key rotation is signed by the member it rotates');
      }
      checkSigningKey(claims.jwks);
      const now = nowSeconds();
      const nowDate = new Date(now * 1000);
      const revoked = new Set(claims.revoked ?? []);
      const wanted = new Map(claims.jwks.keys.map((key) => [key.kid, key]));
      if ([...revoked].some((kid) => wanted.has(kid))) {
        throw new RefusedMessageError('INVALID_CLAIMS', 'a revoked key cannot stay in the key set');
      }
      await m.query(`SELECT 1 FROM member WHERE partner_id = $1 FOR UPDATE`, [partnerId]);
      const repo = m.getRepository(MemberKey);
      const known = await repo.findBy({ kid: In([...wanted.keys()]) });
      const added: string[] = [];
      for (const [kid, jwk] of wanted) {
        const row = known.find((k) => k.kid === kid);
        if (!row) {
          await repo.insert({ kid, partnerId, jwk, addedAt: nowDate });
          added.push(kid);
          continue;
        }
        const state = memberKeyState(row, nowDate);
        if (
          row.partnerId !== partnerId ||
          state === MemberKeyState.REVOKED ||
          state === MemberKeyState.HISTORICAL
        ) {
          throw new RefusedMessageError('KEY_IN_USE', `key ${kid} cannot be (re)announced`);
        }
        if (state === MemberKeyState.RETIRING) await repo.update({ kid }, { retiresAt: null });
      }
      const mine = await repo.findBy({ partnerId });
      const retiring: string[] = [];
      const revokedNow: string[] = [];
      const retireAt = new Date((now + this.config.keyRotationGraceSeconds) * 1000);
      for (const key of mine) {
        if (key.revokedAt) continue;
        if (revoked.has(key.kid)) {
          const retiresAt = key.retiresAt && key.retiresAt < nowDate ? key.retiresAt : nowDate;
          await repo.update({ kid: key.kid }, { revokedAt: nowDate, retiresAt });
          revokedNow.push(key.kid);
        } else if (!wanted.has(key.kid) && !key.retiresAt) {
          await repo.update({ kid: key.kid }, { retiresAt: retireAt });
          retiring.push(key.kid);
        }
      }
      const statement = await this.issueStatement(m, partnerId, signingKey, now);
      await this.events.append(
        m,
        'keys.rotated',
        partnerId,
        {
          added,
          retiring,
          retiresAt: seconds(retireAt),
          revoked: revokedNow,
          messageHash: jwsHash(jws),
          statementHash: jwsHash(statement),
        },
        { signed: [jws, statement] },
      );
    });
    return this.entry(partnerId);
  }

  // ---- directory -------------------------------------------------------------------------------

  async directory(): Promise<DirectoryEntry[]> {
    const members = await this.dataSource.getRepository(Member).find({ order: { partnerId: 'ASC' } });
    return this.entries(members);
  }

  async entry(partnerId: string): Promise<DirectoryEntry> {
    const member = await this.dataSource.getRepository(Member).findOneBy({ partnerId });
    if (!member) throw new NotFoundError('Member', partnerId);
    const [entry] = await this.entries([member]);
    return entry!;
  }

  private async entries(members: Member[]): Promise<DirectoryEntry[]> {
    const ids = members.map((m) => m.partnerId);
    let keys = ids.length
      ? await this.dataSource
          .getRepository(MemberKey)
          .find({ where: { partnerId: In(ids) }, order: { addedAt: 'ASC', kid: 'ASC' } })
      : [];
    const now = nowSeconds();
    let refreshed = false;
    for (const member of members) {
      const mine = keys.filter((k) => k.partnerId === member.partnerId);
      const planned = this.plannedExpiry(member, mine, now);
      const current = seconds(member.statementExpiresAt);
      const refreshWindow = Math.max(1, Math.floor(this.config.statementTtlSeconds / 4));
      if (seconds(member.validUntil) > now && current - now < refreshWindow && planned > current) {
        const signingKey = await this.keys.signingKey();
        await this.dataSource.transaction((m) => this.issueStatement(m, member.partnerId, signingKey, now));
        refreshed = true;
      }
    }
    if (refreshed) {
      members = await this.dataSource.getRepository(Member).findBy({ partnerId: In(ids) });
      members.sort((a, b) => a.partnerId.localeCompare(b.partnerId));
      keys = await this.dataSource
        .getRepository(MemberKey)
        .find({ where: { partnerId: In(ids) }, order: { addedAt: 'ASC', kid: 'ASC' } });
    }
    const nowDate = new Date(now * 1000);
    return members.map((member) => ({
      partnerId: member.partnerId,
      name: member.name,
      endpoint: member.endpoint,
      status: member.status,
      statement: member.statement,
      validUntil: seconds(member.validUntil),
      keys: keys
        .filter((k) => k.partnerId === member.partnerId && !k.revokedAt)
        .map((k): DirectoryKey => ({
          kid: k.kid,
          jwk: k.jwk,
          state: memberKeyState(k, nowDate) as DirectoryKey['state'],
          addedAt: seconds(k.addedAt),
          ...(k.retiresAt ? { retiresAt: seconds(k.retiresAt) } : {}),
        })),
    }));
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
      const statement = await this.issueStatement(m, application.partnerId, signingKey, now);
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
      const statement = await this.issueStatement(m, partnerId, signingKey, now);
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
      const statement = await this.issueStatement(m, partnerId, signingKey, nowSeconds());
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

  private plannedExpiry(member: Member, keys: MemberKey[], now: number): number {
    let exp = Math.min(now + this.config.statementTtlSeconds, seconds(member.validUntil));
    for (const key of keys) {
      if (key.revokedAt || !key.retiresAt) continue;
      const retiresAt = seconds(key.retiresAt);
      if (retiresAt > now) exp = Math.min(exp, retiresAt);
    }
    return exp;
  }

  /** Signs and stores the member's statement as it stands in this transaction. */
  private async issueStatement(
    m: EntityManager,
    partnerId: string,
    signingKey: Ed25519PrivateJwk,
    now: number,
  ): Promise<string> {
    const member = await m.getRepository(Member).findOneByOrFail({ partnerId });
    const keys = await m
      .getRepository(MemberKey)
      .find({ where: { partnerId }, order: { addedAt: 'ASC', kid: 'ASC' } });
    const nowDate = new Date(now * 1000);
    const signing = keys.filter((k) => {
      const state = memberKeyState(k, nowDate);
      return state === MemberKeyState.CURRENT || state === MemberKeyState.RETIRING;
    });
    const historical = keys.filter((k) => memberKeyState(k, nowDate) === MemberKeyState.HISTORICAL);
    const active = member.status === MemberStatus.ACTIVE;
    const exp = this.plannedExpiry(member, keys, now);
    const statement = signMessage(
      'membership-statement',
      {
        iss: this.config.federationId,
        sub: partnerId,
        iat: now,
        exp,
        name: member.name,
        endpoint: member.endpoint,
        status: member.status,
        jwks: { keys: active ? signing.map((k) => k.jwk) : [] },
        ...(active && historical.length > 0
          ? { historicalKeys: historical.map((k) => ({ jwk: k.jwk, retiredAt: seconds(k.retiresAt!) })) }
          : {}),
      },
      signingKey,
    );
    await m.query(
      `UPDATE member SET statement = $2, statement_issued_at = to_timestamp($3), statement_expires_at = to_timestamp($4)
       WHERE partner_id = $1`,
      [partnerId, statement, now, exp],
    );
    return statement;
  }
}

function checkSigningKey(jwks: Jwks): void {
  if (!jwks.keys.some((key) => key.crv === 'Ed25519')) {
    throw new RefusedMessageError('NO_SIGNING_KEY', 'the key set holds no Ed25519 signing key');
  }
}
