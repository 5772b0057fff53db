import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ANONYMOUS_REFUSAL_REASONS,
  ProtocolError,
  peekJwsIds,
  selfSignedKeyResolver,
  verifyJwt,
  verifyMessage,
  type KeyResolver,
  type MessageKind,
  type VerifiedMessage,
  nowSeconds,
} from '#protocol';
import {
  AUTHORIZATION_SCHEME,
  REQUEST_TYP,
  requestClaimsSchema,
  type RequestClaims,
} from '#federation-client';
import {
  AppError,
  ForbiddenError,
  RefusedMessageError,
  UnauthenticatedError,
} from '#platform/errors/app-errors';
import type { ErrorReason } from '#platform/errors/reasons';
import { getLogger } from '#platform/logging/logger';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { MembersRepository, type MemberSigningKey as KeyRow } from '../members/members.repository.js';
import { BatchReplayCheck } from './batch-replay-check.js';
import { directoryRuleRefusal } from './directory-rule.js';
import { ReceivedMessagesRepository, messageKey } from './received-messages.repository.js';
import { RefusalsRepository, type RefusalRecord } from './refusals.repository.js';

/** A verified message of a batch, with its JWS. */
export type BatchMessage<K extends MessageKind> = VerifiedMessage<K> & { jws: string };

export interface IntakeOptions {
  /** Route as logged in refusals, e.g. `POST /federation/v1/consents`. */
  route: string;
  /** Applications: verified with the keys they carry instead of the directory. */
  selfSigned?: boolean;
  /** 'required' (default): `aud` must name the federation; 'if-present': only when there is an `aud`. */
  audience?: 'required' | 'if-present';
}

/**
 * The one door for signed messages. Verifies against the member directory (kid found only in the
 * claimed issuer's keys, then signature, canonical payload, typ, times, audience, replay, then the
 * directory rule: suspension, membership term, retired and revoked keys), then runs the change in
 * one transaction that also stores the message id. Any refusal, by the protocol or by the change
 * itself, rolls everything back and is recorded in `refusal`.
 */
@Injectable()
export class MessageIntake {
  constructor(
    @Inject(FEDERATION_CONFIG) private readonly config: FederationConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly members: MembersRepository,
    private readonly received: ReceivedMessagesRepository,
    private readonly refusals: RefusalsRepository,
  ) {}

  async accept<K extends MessageKind, T>(
    kind: K,
    jws: string,
    options: IntakeOptions,
    change: (verified: VerifiedMessage<K>, m: EntityManager) => Promise<T>,
  ): Promise<T> {
    try {
      const verified = await this.verify(kind, jws, options);
      return await this.dataSource.transaction(async (m) => {
        await this.remember(m, kind, verified.claims.iss, verified.claims.jti, verified.claims.exp);
        return change(verified, m);
      });
    } catch (error) {
      throw await this.refused(error, kind, jws, options.route);
    }
  }

  /**
   * `accept` for a batch of messages of one kind, each verified and refused on its own (a refusal
   * is recorded and answered for that message only, as `accept` would). `check` runs first in the
   * batch's one transaction and refuses what the change cannot take; the ids of the others are
   * then stored (a concurrent replay is refused there), and `write` makes their changes. Results
   * come back in the order of `jwss`: a value, or the error `accept` would have thrown.
   */
  async acceptMany<K extends MessageKind, T>(
    kind: K,
    jwss: readonly string[],
    options: IntakeOptions,
    steps: {
      check: (verified: readonly BatchMessage<K>[], m: EntityManager) => Promise<(AppError | undefined)[]>;
      write: (verified: readonly BatchMessage<K>[], m: EntityManager) => Promise<T[]>;
    },
  ): Promise<(T | AppError)[]> {
    const results: (T | AppError | undefined)[] = new Array(jwss.length);
    const keys = new Map<string, Promise<KeyRow | undefined>>();
    const verified: { index: number; message: BatchMessage<K> }[] = [];
    const fail = async (index: number, error: unknown): Promise<void> => {
      const mapped = await this.refused(error, kind, jwss[index]!, options.route);
      if (!(mapped instanceof AppError)) throw mapped;
      results[index] = mapped;
    };
    // Verified together, the signatures on libuv's threadpool (every core at once); the replay
    // check is one read for the batch, its verdicts in the batch's order (BatchReplayCheck).
    const replays = new BatchReplayCheck(jwss.length, (ids) => this.received.receivedAmong(ids));
    const outcomes = jwss.map((jws, index) =>
      this.verify(kind, jws, options, {
        keys,
        isReplayed: (jti, issuer) => replays.isReplayed(index, issuer, jti),
      }).then(
        (message) => {
          replays.settled(index);
          return { message };
        },
        (error: unknown) => {
          replays.settled(index);
          return { error };
        },
      ),
    );
    const settled = await Promise.all(outcomes);
    for (let index = 0; index < jwss.length; index++) {
      const outcome = settled[index]!;
      if ('message' in outcome) verified.push({ index, message: { ...outcome.message, jws: jwss[index]! } });
      else await fail(index, outcome.error);
    }
    const late: { index: number; error: unknown }[] = [];
    if (verified.length > 0) {
      await this.dataSource.transaction(async (m) => {
        const refusals = await steps.check(
          verified.map((v) => v.message),
          m,
        );
        const passing = verified.filter((v, i) => {
          const refusal = refusals[i];
          if (refusal) late.push({ index: v.index, error: refusal });
          return !refusal;
        });
        const stored = await this.received.rememberMany(
          m,
          kind,
          passing.map((v) => v.message.claims),
        );
        const fresh = passing.filter((v) => {
          if (stored.has(messageKey(v.message.claims.iss, v.message.claims.jti))) return true;
          late.push({
            index: v.index,
            error: new ProtocolError('REPLAYED', `message "${v.message.claims.jti}" was already received`),
          });
          return false;
        });
        const written =
          fresh.length > 0
            ? await steps.write(
                fresh.map((v) => v.message),
                m,
              )
            : [];
        fresh.forEach((v, i) => (results[v.index] = written[i]));
      });
    }
    for (const { index, error } of late) await fail(index, error);
    return results as (T | AppError)[];
  }

  /**
   * Authenticates a read by its `Authorization: Concordia <request token>` header; returns the
   * member id. The token's jti is stored, so it works once.
   */
  async authenticateRequest(
    header: string | undefined,
    method: string,
    pathAndQuery: string,
    route: string,
  ): Promise<string> {
    let token = '';
    try {
      const match = new RegExp(`^${AUTHORIZATION_SCHEME}\\s+(\\S+)$`, 'i').exec(header ?? '');
      if (!match) {
        throw new RefusedMessageError(
          'MISSING_CREDENTIALS',
          `send "Authorization: ${AUTHORIZATION_SCHEME} <request token>"`,
        );
      }
      token = match[1] as string;
      const stash: { key?: KeyRow } = {};
      const { header: jwsHeader, claims: raw } = await verifyJwt(token, this.directoryResolver(stash), {
        typ: REQUEST_TYP,
        audience: this.config.federationId,
        isReplayed: (jti, issuer) => this.seen(issuer, jti),
      });
      const parsed = requestClaimsSchema.safeParse(raw);
      if (!parsed.success) throw new ProtocolError('INVALID_CLAIMS', 'request token claims are not valid');
      const claims: RequestClaims = parsed.data;
      this.directoryRule(stash.key!, jwsHeader.kid, claims.iat);
      if (claims.htm !== method.toUpperCase() || claims.htu !== pathAndQuery) {
        throw new RefusedMessageError('REQUEST_MISMATCH', 'the request token is bound to another request');
      }
      await this.dataSource.transaction((m) =>
        this.remember(m, 'request', claims.iss, claims.jti, claims.exp),
      );
      return claims.iss;
    } catch (error) {
      const refusal = await this.refused(error, 'request', token, route);
      if (refusal instanceof RefusedMessageError) {
        throw new UnauthenticatedError(refusal.message, { reason: refusal.reason });
      }
      throw refusal;
    }
  }

  /** Records a refusal decided outside a message (a read of others' data) and returns the error. */
  async forbid(reason: ErrorReason, message: string, issuer: string, route: string): Promise<ForbiddenError> {
    await this.record({ kind: 'request', reason, issuer, kid: null, jti: null, route, message });
    return new ForbiddenError(message, { reason });
  }

  private async verify<K extends MessageKind>(
    kind: K,
    jws: string,
    options: IntakeOptions,
    batch?: {
      keys: Map<string, Promise<KeyRow | undefined>>;
      isReplayed: (jti: string, issuer: string) => Promise<boolean>;
    },
  ): Promise<VerifiedMessage<K>> {
    const stash: { key?: KeyRow } = {};
    const federationId = this.config.federationId;
    const ifPresent = options.audience === 'if-present';
    const verified = await verifyMessage(
      kind,
      jws,
      options.selfSigned ? selfSignedKeyResolver : this.directoryResolver(stash, batch?.keys),
      {
        audience: ifPresent ? null : federationId,
        isReplayed: batch?.isReplayed ?? ((jti, issuer) => this.seen(issuer, jti)),
        // A batch's messages are verified together: their signatures on the threadpool.
        offThread: batch !== undefined,
      },
    );
    const aud = (verified.claims as { aud?: string | string[] }).aud;
    if (ifPresent && aud !== undefined && !(typeof aud === 'string' ? [aud] : aud).includes(federationId)) {
      throw new ProtocolError('WRONG_AUDIENCE', `message is not addressed to "${federationId}"`);
    }
    if (!options.selfSigned) this.directoryRule(stash.key!, verified.header.kid, verified.claims.iat);
    return verified;
  }

  /**
   * kid → key, only among the keys of the member the message claims as issuer. A batch shares
   * `cache` (one read per issuer and kid for all its messages, all read at the batch's start).
   */
  private directoryResolver(
    stash: { key?: KeyRow },
    cache?: Map<string, Promise<KeyRow | undefined>>,
  ): KeyResolver {
    return async (kid, { issuer }) => {
      if (issuer === undefined) return undefined;
      const id = `${issuer}\u0000${kid}`;
      let read = cache?.get(id);
      if (!read) {
        read = this.members.signingKey(kid, issuer);
        cache?.set(id, read);
      }
      const key = await read;
      if (!key) return undefined;
      stash.key = key;
      return key.jwk;
    };
  }

  /** Applied only to authentic messages: suspension, term, revoked and retired keys. */
  private directoryRule(key: KeyRow, kid: string, iat: number): void {
    const refusal = directoryRuleRefusal(key, kid, iat, nowSeconds());
    if (refusal) throw refusal;
  }

  private seen(issuer: string, jti: string): Promise<boolean> {
    return this.received.received(issuer, jti);
  }

  private async remember(
    m: EntityManager,
    kind: string,
    issuer: string,
    jti: string,
    exp: number,
  ): Promise<void> {
    if (!(await this.received.remember(m, kind, issuer, jti, exp))) {
      throw new ProtocolError('REPLAYED', `message "${jti}" was already received`);
    }
  }

  /** Maps an error to the one the caller throws, recording it when it is a refusal. */
  private async refused(error: unknown, kind: string, jws: string, route: string): Promise<unknown> {
    const mapped =
      error instanceof ProtocolError ? new RefusedMessageError(error.code, error.message) : error;
    if (!(mapped instanceof AppError)) return mapped;
    const reason =
      mapped instanceof RefusedMessageError
        ? mapped.reason
        : typeof mapped.details.reason === 'string'
          ? mapped.details.reason
          : mapped.code;
    const meta = peekJwsIds(jws);
    await this.record({ kind, reason, ...meta, route, message: mapped.message });
    return mapped;
  }

  /** Records a refusal (table `refusal`, shown to the operator); also for what is not a JWS (manifest chunks). */
  async record(refusal: RefusalRecord): Promise<void> {
    try {
      if (ANONYMOUS_REFUSAL_REASONS.has(refusal.reason)) {
        // Anyone can send these by the thousand: one row per kind, reason, route and minute.
        await this.refusals.recordAnonymous(refusal);
      } else {
        await this.refusals.record(refusal);
      }
    } catch (error) {
      getLogger().error({ reason: refusal.reason, err: String(error) }, 'refusal could not be recorded');
    }
    getLogger().info(
      { kind: refusal.kind, reason: refusal.reason, issuer: refusal.issuer },
      'message refused',
    );
  }
}
