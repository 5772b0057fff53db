import { randomUUID } from 'node:crypto';
import {
  jwksKeyResolver,
  signJwt,
  verifyJwt,
  verifyMessage,
  type Ed25519PrivateJwk,
  type Jwks,
  type KeyResolver,
  type MembershipStatement,
  type OkpPublicJwk,
} from '#protocol';
import {
  AUTHORIZATION_SCHEME,
  ENTITY_STATEMENT_TYP,
  FEDERATION_PATHS,
  REQUEST_TYP,
  entityStatementClaimsSchema,
  type AgreementView,
  type AgreementsResponse,
  type ApplicationResponse,
  type ConsentBatchResponse,
  type ConsentCheckRequest,
  type ConsentCheckResponse,
  type ConsentView,
  type DirectoryEntry,
  type DirectoryResponse,
  type EntityStatementClaims,
  type EntityStatementResponse,
  type KeyRotationResponse,
  type RequestClaims,
} from './contract.js';
import type { ErrorBody } from './errors.js';
import type { LedgerCheckpointView, LedgerConsistencyResponse } from './ledger-contract.js';
import { followFederationKeyRotations } from './key-rotations.js';

/** A non-2xx answer of the federation; `code` and `reason` are the stable machine-readable parts. */
export class FederationError extends Error {
  override readonly name = 'FederationError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reason: string | undefined,
    readonly body: unknown,
  ) {
    super(message);
  }
}

/** Who signs the request tokens of the authenticated reads: a member and one of its current keys. */
export interface RequestSigner {
  partnerId: string;
  signingKey: Ed25519PrivateJwk;
}

export interface FederationClientOptions {
  /** e.g. `https://federation.example` (no trailing path). */
  baseUrl: string;
  /** The federation id (request tokens' `aud`); read from the entity statement when absent. */
  federationId?: string;
  /** Lifetime of request tokens, seconds (default 60, at most 300). */
  requestTtlSeconds?: number;
  fetch?: typeof fetch;
}

/**
 * Signs a request token for one HTTP request: `Authorization: Concordia <token>`.
 * Exported so that other callers (tests, scripts) authenticate the same way.
 */
export function signRequestToken(
  signer: RequestSigner,
  audience: string,
  method: 'GET' | 'POST',
  pathAndQuery: string,
  options: { ttlSeconds?: number; now?: number; jti?: string } = {},
): string {
  const iat = options.now ?? Math.floor(Date.now() / 1000);
  const claims: RequestClaims = {
    iss: signer.partnerId,
    aud: audience,
    iat,
    exp: iat + (options.ttlSeconds ?? 60),
    jti: options.jti ?? randomUUID(),
    htm: method,
    htu: pathAndQuery,
  };
  return signJwt(REQUEST_TYP, claims, signer.signingKey);
}

/**
 * Verifies the federation's self-signed entity statement. Pin `trustedKids` (a kid obtained out of
 * band) to make it more than trust on first use.
 */
export async function verifyEntityStatement(
  jws: string,
  options: { trustedKids?: readonly string[]; now?: number } = {},
): Promise<EntityStatementClaims> {
  let jwks: Jwks | undefined;
  const { claims } = await verifyJwt(
    jws,
    (kid, { claims }) => {
      const parsed = entityStatementClaimsSchema.safeParse(claims);
      if (!parsed.success) return undefined;
      jwks = parsed.data.jwks;
      const current = parsed.data.keys.find((k) => k.kid === kid && k.status === 'current');
      if (!current) return undefined;
      if (options.trustedKids && !options.trustedKids.includes(kid)) return undefined;
      return jwksKeyResolver(parsed.data.jwks)(kid, { issuer: undefined, claims });
    },
    { typ: ENTITY_STATEMENT_TYP, audience: null, now: options.now },
  );
  if (!jwks) throw new Error('entity statement carries no keys');
  return entityStatementClaimsSchema.parse(claims);
}

/**
 * Verifies a membership statement against the federation's keys: its JWKS (from its entity
 * statement), or a resolver that also knows when each old key retired (federationKeyResolver).
 */
export async function verifyMembershipStatement(
  jws: string,
  federationKeys: Jwks | KeyResolver,
  federationId: string,
  options: { now?: number } = {},
): Promise<MembershipStatement> {
  const resolveKey = typeof federationKeys === 'function' ? federationKeys : jwksKeyResolver(federationKeys);
  const { claims } = await verifyMessage('membership-statement', jws, resolveKey, {
    audience: null,
    issuer: federationId,
    now: options.now,
  });
  return claims;
}

/**
 * Typed client of the federation's HTTP API. Plain fetch; every non-2xx answer becomes a
 * FederationError carrying the federation's `code` and `reason`.
 */
export class FederationClient {
  readonly baseUrl: string;
  private federationId: string | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly requestTtlSeconds: number;

  constructor(options: FederationClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.federationId = options.federationId;
    this.fetchImpl = options.fetch ?? fetch;
    this.requestTtlSeconds = options.requestTtlSeconds ?? 60;
  }

  // -- public documents ------------------------------------------------------------------------

  /**
   * The federation's entity statement, its self-signature verified: by a key of `trustedKids`, or
   * (with `pinned`) by a key reached from the pinned ones through the published key rotations.
   */
  async entityStatement(
    options: {
      trustedKids?: readonly string[];
      pinned?: { federationId: string; keys: readonly OkpPublicJwk[] };
    } = {},
  ): Promise<{ statement: string; claims: EntityStatementClaims; trustedKids?: string[] }> {
    const response = await this.call<EntityStatementResponse>('GET', FEDERATION_PATHS.entityStatement);
    return this.acceptEntityStatement(response, options);
  }

  /** Verifies an entity statement response as entityStatement() does (exposed for tests and tools). */
  async acceptEntityStatement(
    response: Pick<EntityStatementResponse, 'statement' | 'rotations'>,
    options: {
      trustedKids?: readonly string[];
      pinned?: { federationId: string; keys: readonly OkpPublicJwk[] };
    } = {},
  ): Promise<{ statement: string; claims: EntityStatementClaims; trustedKids?: string[] }> {
    let trustedKids = options.trustedKids ? [...options.trustedKids] : undefined;
    if (options.pinned) {
      const { keys } = await followFederationKeyRotations(
        options.pinned.federationId,
        options.pinned.keys,
        Array.isArray(response.rotations) ? response.rotations : [],
      );
      trustedKids = keys.map((key) => key.kid);
    }
    const claims = await verifyEntityStatement(response.statement, { trustedKids });
    this.federationId ??= claims.iss;
    return { statement: response.statement, claims, ...(trustedKids ? { trustedKids } : {}) };
  }

  jwks(): Promise<Jwks> {
    return this.call<Jwks>('GET', FEDERATION_PATHS.jwks);
  }

  async members(): Promise<DirectoryEntry[]> {
    return (await this.call<DirectoryResponse>('GET', FEDERATION_PATHS.members)).members;
  }

  member(partnerId: string): Promise<DirectoryEntry> {
    return this.call<DirectoryEntry>('GET', FEDERATION_PATHS.member(partnerId));
  }

  // -- membership ------------------------------------------------------------------------------

  /** Posts a self-signed `membership-application`; the answer is `pending` until an operator decides. */
  apply(application: string): Promise<ApplicationResponse> {
    return this.call<ApplicationResponse>('POST', FEDERATION_PATHS.applications, { application });
  }

  application(applicationId: string): Promise<ApplicationResponse> {
    return this.call<ApplicationResponse>('GET', FEDERATION_PATHS.application(applicationId));
  }

  /** Posts a `key-rotation` signed under a current key; returns the member's new directory entry. */
  async rotateKeys(partnerId: string, announcement: string): Promise<DirectoryEntry> {
    const response = await this.call<KeyRotationResponse>('POST', FEDERATION_PATHS.keyRotations(partnerId), {
      announcement,
    });
    return response.member;
  }

  // -- agreements ------------------------------------------------------------------------------

  proposeAgreement(agreement: string): Promise<AgreementView> {
    return this.call<AgreementView>('POST', FEDERATION_PATHS.agreements, { agreement });
  }

  transitionAgreement(agreementId: string, transition: string): Promise<AgreementView> {
    return this.call<AgreementView>('POST', FEDERATION_PATHS.agreementTransitions(agreementId), {
      transition,
    });
  }

  /** The signer's agreements (or those with `party`, which must be the signer), with their signed chains. */
  async agreements(signer: RequestSigner, party: string = signer.partnerId): Promise<AgreementView[]> {
    const path = `${FEDERATION_PATHS.agreements}?party=${encodeURIComponent(party)}`;
    return (await this.call<AgreementsResponse>('GET', path, undefined, signer)).agreements;
  }

  // -- consents --------------------------------------------------------------------------------

  /** Registers one recipient's `consent-registration` (never the receipt itself: issue 16). */
  registerConsent(registration: string): Promise<ConsentView> {
    return this.call<ConsentView>('POST', FEDERATION_PATHS.consents, { registration });
  }

  /**
   * Registers several `consent-registration`s (one agreement pair's batch) in one request; each is
   * verified and refused on its own: the answer lists every one, in order.
   */
  registerConsents(registrations: readonly string[]): Promise<ConsentBatchResponse> {
    return this.call<ConsentBatchResponse>('POST', FEDERATION_PATHS.consentBatch, { registrations });
  }

  withdrawConsent(consentId: string, withdrawal: string): Promise<ConsentView> {
    return this.call<ConsentView>('POST', FEDERATION_PATHS.consentWithdrawal(consentId), { withdrawal });
  }

  /** Is there a live consent for this subject token, recipient, purpose and category? */
  checkConsent(signer: RequestSigner, query: ConsentCheckRequest): Promise<ConsentCheckResponse> {
    return this.call<ConsentCheckResponse>('POST', FEDERATION_PATHS.consentCheck, query, signer);
  }

  // -- ledger ----------------------------------------------------------------------------------

  /** The latest signed checkpoint of the federation ledger (nodes verify and record it: FederationCheckpointWatch). */
  ledgerCheckpoint(): Promise<LedgerCheckpointView> {
    return this.call<LedgerCheckpointView>('GET', FEDERATION_PATHS.ledgerCheckpoint);
  }

  /** RFC 9162 consistency proof between the federation ledger's trees of sizes `from` and `to`. */
  ledgerConsistencyProof(from: number, to: number): Promise<LedgerConsistencyResponse> {
    return this.call<LedgerConsistencyResponse>(
      'GET',
      `${FEDERATION_PATHS.ledgerConsistencyProof}?from=${from}&to=${to}`,
    );
  }

  // -- plumbing --------------------------------------------------------------------------------

  /** The federation id: configured, or read once from the entity statement. */
  async getFederationId(): Promise<string> {
    if (!this.federationId) await this.entityStatement();
    return this.federationId as string;
  }

  private async call<T>(
    method: 'GET' | 'POST',
    pathAndQuery: string,
    body?: unknown,
    signer?: RequestSigner,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (signer) {
      const token = signRequestToken(signer, await this.getFederationId(), method, pathAndQuery, {
        ttlSeconds: this.requestTtlSeconds,
      });
      headers.authorization = `${AUTHORIZATION_SCHEME} ${token}`;
    }
    const response = await this.fetchImpl(`${this.baseUrl}${pathAndQuery}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return readFederationAnswer<T>(response, method, pathAndQuery);
  }
}

/**
 * Reads a federation answer: the parsed JSON body, or, for a non-2xx answer, a FederationError
 * carrying the federation's `code`, `message` and `reason`. Shared by every client of its routes.
 */
export async function readFederationAnswer<T>(response: Response, method: string, path: string): Promise<T> {
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (!response.ok) {
    const error = (parsed as Partial<ErrorBody> | undefined)?.error;
    throw new FederationError(
      response.status,
      typeof error?.code === 'string' ? error.code : `HTTP_${response.status}`,
      typeof error?.message === 'string' ? error.message : `${method} ${path}: ${response.status}`,
      typeof error?.reason === 'string' ? error.reason : undefined,
      parsed,
    );
  }
  return parsed as T;
}
