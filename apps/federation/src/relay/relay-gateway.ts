import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  ProtocolError,
  isProtocolError,
  peekJwsIds,
  signJwt,
  unverifiedJwsPart,
  verifyMessage,
  type KeyResolver,
  type MessageKind,
  type VerifiedMessage,
  nowSeconds,
} from '#protocol';
import {
  RELAY_AUTHORIZATION_SCHEME,
  RELAY_CONTENT_TYPE,
  RELAY_TOKEN_TTL_SECONDS,
  RELAY_TOKEN_TYP,
  bodyHash,
  keyUseRefusal,
  type MemberStatusValue,
  type RelayTokenClaims,
} from '#federation-client';
import { RefusedMessageError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { RefusalsRepository } from '../intake/refusals.repository.js';
import { FederationKeysService } from '../keys/federation-keys.service.js';
import { MembersRepository, type MemberEndpointRow } from '../members/members.repository.js';
import { RelayLogRepository } from './relay-log.repository.js';

export type MemberRow = MemberEndpointRow;

export type CallOutcome<T> =
  | { ok: true; body: T; durationMs: number }
  | {
      ok: false;
      kind: 'timeout' | 'unreachable' | 'refused';
      code: string;
      message: string;
      durationMs: number;
    };

/**
 * What every relayed message goes through: the member it is addressed to, the sender's signature
 * under its directory keys, the signed call to the member's protocol endpoint (a relay token bound
 * to target, path and body; a timeout; never throws), the relay log (metadata only) and the
 * recorded refusals.
 */
@Injectable()
export class RelayGateway {
  private readonly logger = getLogger().child({ context: 'relay' });

  constructor(
    @Inject(FEDERATION_CONFIG) private readonly config: FederationConfig,
    private readonly keys: FederationKeysService,
    private readonly members: MembersRepository,
    private readonly refusals: RefusalsRepository,
    private readonly relayLog: RelayLogRepository,
  ) {}

  member(partnerId: string): Promise<MemberRow | undefined> {
    return this.members.endpoint(partnerId);
  }

  async activeMember(partnerId: string): Promise<MemberRow | undefined> {
    const row = await this.member(partnerId);
    return row && row.status === 'active' && row.valid_until > new Date() ? row : undefined;
  }

  /** A member-signed message, verified with the directory keys of `issuer` only, then the directory rule. */
  async verifyMember<K extends MessageKind>(
    kind: K,
    jws: string,
    issuer: string,
    audience: string | null = null,
  ): Promise<VerifiedMessage<K>> {
    const stash: {
      retiresAt?: number | null;
      revoked?: boolean;
      status?: MemberStatusValue;
      validUntil?: number;
    } = {};
    const resolver: KeyResolver = async (kid, context) => {
      if (context.issuer !== issuer) return undefined;
      const key = await this.members.signingKey(kid, issuer);
      if (!key) return undefined;
      Object.assign(stash, {
        retiresAt: key.retiresAt,
        revoked: key.revoked,
        status: key.status,
        validUntil: key.validUntil,
      });
      return key.jwk;
    };
    let verified: VerifiedMessage<K>;
    try {
      verified = await verifyMessage(kind, jws, resolver, { audience });
    } catch (error) {
      // A message claiming another issuer than the authenticated sender.
      if (isProtocolError(error, 'UNKNOWN_KEY') && peekIssuer(jws) !== issuer) {
        throw new ProtocolError('WRONG_ISSUER', `the message is not signed by ${issuer}`);
      }
      throw error;
    }
    if (stash.revoked) throw new RefusedMessageError('KEY_REVOKED', 'the signing key is revoked');
    const reason = keyUseRefusal(
      { status: stash.status!, validUntil: stash.validUntil! },
      { retiresAt: stash.retiresAt },
      verified.claims.iat,
      nowSeconds(),
    );
    if (reason) throw new RefusedMessageError(reason, `${kind} refused: ${reason}`);
    return verified;
  }

  /** Calls a member's protocol endpoint with a relay token; never throws. */
  async call<T>(
    member: MemberRow,
    path: string,
    body: unknown,
    from: string,
    timeoutMs: number,
  ): Promise<CallOutcome<T>> {
    const started = Date.now();
    const now = Math.floor(started / 1000);
    const claims: RelayTokenClaims = {
      iss: this.config.federationId,
      aud: member.partner_id,
      iat: now,
      exp: now + RELAY_TOKEN_TTL_SECONDS,
      jti: randomUUID(),
      htm: 'POST',
      htu: path,
      bodyHash: bodyHash(body),
      from,
    };
    const token = signJwt(RELAY_TOKEN_TYP, claims, await this.keys.signingKey());
    const url = `${member.endpoint.replace(/\/+$/, '')}${path}`;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': RELAY_CONTENT_TYPE,
          authorization: `${RELAY_AUTHORIZATION_SCHEME} ${token}`,
        },
        body: JSON.stringify(body),
        signal,
      });
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      const durationMs = Date.now() - started;
      if (response.ok) return { ok: true, body: parsed as T, durationMs };
      const error = (parsed as { error?: { code?: string; reason?: string; message?: string } } | undefined)
        ?.error;
      const code = error?.reason ?? error?.code ?? `HTTP_${response.status}`;
      if (response.status >= 500) {
        return { ok: false, kind: 'unreachable', code, message: error?.message ?? '', durationMs };
      }
      return { ok: false, kind: 'refused', code, message: error?.message ?? '', durationMs };
    } catch (error) {
      const durationMs = Date.now() - started;
      const timedOut =
        signal.aborted ||
        (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
      return timedOut
        ? { ok: false, kind: 'timeout', code: 'TIMEOUT', message: `no answer in ${timeoutMs} ms`, durationMs }
        : { ok: false, kind: 'unreachable', code: 'UNREACHABLE', message: 'connection failed', durationMs };
    }
  }

  async log(
    kind: 'history' | 'envelope' | 'withdrawal',
    requestId: string,
    from: string,
    to: string,
    messageId: string | null,
    status: string,
    reason: string | null | undefined,
    durationMs: number,
  ): Promise<void> {
    try {
      await this.relayLog.log({
        kind,
        requestId,
        from,
        to,
        messageId,
        status,
        reason: reason ?? null,
        durationMs,
      });
    } catch (error) {
      this.logger.error({ err: String(error) }, 'relay log could not be written');
    }
  }

  /** Records a refusal (table `refusal`, never the payload) and returns the error to throw. */
  async refused(error: unknown, kind: string, jws: string, route: string): Promise<unknown> {
    const mapped =
      error instanceof ProtocolError ? new RefusedMessageError(error.code, error.message) : error;
    if (!(mapped instanceof RefusedMessageError)) return mapped;
    const ids = peekJwsIds(jws);
    try {
      await this.refusals.record({ kind, reason: mapped.reason, ...ids, route, message: mapped.message });
    } catch (failure) {
      this.logger.error({ err: String(failure) }, 'refusal could not be recorded');
    }
    return mapped;
  }
}

function peekIssuer(jws: string): string | undefined {
  const iss = unverifiedJwsPart(jws, 'claims')?.iss;
  return typeof iss === 'string' ? iss : undefined;
}
