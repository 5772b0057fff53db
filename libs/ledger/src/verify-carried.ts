import {
  checkRecordHashes,
  jwsHash,
  MESSAGE_KINDS,
  messageKindOfTyp,
  unverifiedJwsPart,
  type FederationKeyRotation,
  type MembershipStatement,
  type OkpPublicJwk,
  type PurgeReceipt,
  type Share,
} from '#protocol';
import type { ExportedMessage } from './export-format.js';
import { describe, fail, isObject, type VerifiedCarried } from './verify-export-checks.js';
import type { SignatureChecks } from './verify-export-signatures.js';

/** Message kinds the federation itself signs (the others are signed by the member they name as `iss`). */
const FEDERATION_SIGNED_KINDS = new Set(['membership-statement', 'federation-key-rotation', 'merge-result']);

/**
 * The export verifier's check of carried signed messages and of the evidence entries resting on
 * them, in ledger order: what the statements verified so far vouched for, which keys retired when,
 * and the counts the report gives.
 */
export class CarriedMessageVerifier {
  /** partner id → kid → key, from the membership statements verified so far. */
  private readonly vouched = new Map<string, Map<string, OkpPublicJwk>>();
  /**
   * When keys retired, from the signed messages verified so far: the federation's by its key
   * rotation statements (the previous key retires when the next activates), members' by the
   * `historicalKeys` of their statements. A retired key verifies only what it signed before.
   */
  private readonly federationRetiredAt = new Map<string, number>();
  private readonly memberRetiredAt = new Map<string, Map<string, number>>();
  messagesVerified = 0;
  statementsVerified = 0;

  /** The verified membership statements by jwsHash: the keys they vouched for, at the time. */
  private readonly statementsByHash = new Map<string, MembershipStatement>();
  receiptsVerified = 0;
  purgeReceiptsVerified = 0;
  private readonly receivedEnvelopes = new Set<string>();

  constructor(
    private readonly jwsKeys: Map<string, OkpPublicJwk>,
    /** Keys pinned: member messages only by keys their statements vouched for. */
    private readonly pinned: boolean,
    private readonly fromSeq: number,
    private readonly signatures: SignatureChecks,
  ) {}

  /** Hash, signature and claims of one carried message of entry `seq`. */
  verifyMessage(seq: number, data: unknown, message: ExportedMessage): VerifiedCarried {
    const where = `entry seq ${seq}`;
    const path = `data.${message.field}`;
    const named = isObject(data) ? data[message.field] : undefined;
    if (typeof named !== 'string')
      fail(where, `${path} is absent, yet a signed message is carried for it`, seq);
    const header = unverifiedJwsPart(message.jws, 'header');
    const claims = unverifiedJwsPart(message.jws, 'claims');
    const kind = typeof header?.typ === 'string' ? messageKindOfTyp(header.typ) : undefined;
    if (!header || !claims || !kind)
      fail(where, `the message carried for ${path} is not a Concordia signed message`, seq);
    const label = `the ${kind} carried for ${path}`;
    if (jwsHash(message.jws) !== named) {
      fail(
        where,
        `${label} does not match the hash in the entry (the message or the entry was changed)`,
        seq,
      );
    }
    const kid = typeof header.kid === 'string' ? header.kid : '';
    const issuer = typeof claims.iss === 'string' ? claims.iss : '';
    const byFederation = FEDERATION_SIGNED_KINDS.has(kind);
    // Statements, key rotations and merge results: the federation's keys. Member messages: a key a statement of
    // the issuer vouched for; without pinned keys, the export's own key list is accepted too.
    const key = byFederation
      ? this.jwsKeys.get(kid)
      : (this.vouched.get(issuer)?.get(kid) ?? (this.pinned ? undefined : this.jwsKeys.get(kid)));
    if (!key) {
      fail(
        where,
        byFederation
          ? `${label} is signed by an unknown federation key (kid ${kid || 'none'})`
          : `${label} is signed by a key no membership statement of ${issuer || 'its issuer'} vouches for (kid ${kid || 'none'})`,
        seq,
      );
    }
    this.signatures.check(message.jws, key, (error) =>
      fail(where, `${label}: signature does not verify: ${describe(error)}`, seq),
    );
    const parsed = MESSAGE_KINDS[kind].schema.safeParse(claims);
    if (!parsed.success) fail(where, `${label} has claims that are not a valid ${kind}`, seq);
    const retiredAt = byFederation
      ? this.federationRetiredAt.get(kid)
      : this.memberRetiredAt.get(issuer)?.get(kid);
    if (retiredAt !== undefined && (parsed.data as { iat: number }).iat >= retiredAt) {
      fail(where, `${label} is signed by key ${kid} after it retired (at ${retiredAt})`, seq);
    }
    if (kind === 'membership-statement') {
      this.statementsByHash.set(named, parsed.data as MembershipStatement);
      const { sub, jwks, historicalKeys } = parsed.data as MembershipStatement;
      const keys = this.vouched.get(sub) ?? new Map<string, OkpPublicJwk>();
      for (const k of jwks.keys) keys.set(k.kid, k);
      this.vouched.set(sub, keys);
      const retired = this.memberRetiredAt.get(sub) ?? new Map<string, number>();
      for (const { jwk, retiredAt: at } of historicalKeys ?? []) {
        if (!keys.has(jwk.kid)) keys.set(jwk.kid, jwk); // an export may start after the key retired
        retired.set(jwk.kid, at);
      }
      this.memberRetiredAt.set(sub, retired);
      this.statementsVerified += 1;
    }
    if (kind === 'federation-key-rotation') {
      const { previousKid, activatesAt } = parsed.data as FederationKeyRotation;
      this.federationRetiredAt.set(previousKid, activatesAt);
    }
    this.messagesVerified += 1;
    return { kind, kid, claims: parsed.data as Record<string, unknown> };
  }

  /**
   * Evidence entries of a node (share.received with record hashes, share.purged and
   * share.purge-confirmed with a receipt hash): the signed message they rest on must be carried and
   * must say what the entry says, its signer's key must be one that the membership statement named
   * by the entry held at the time, and a receipt's record hashes must hash to the signed root. In an
   * export from 0, the envelopes a node's purge receipt names must have their receipt in the ledger.
   */
  verifyEvidence(seq: number, data: unknown, verified: Map<string, VerifiedCarried>): void {
    if (!isObject(data)) return;
    const where = `entry seq ${seq}`;
    if (typeof data.issuer === 'string' && typeof data.envelopeId === 'string' && 'messageHash' in data) {
      this.receivedEnvelopes.add(`${data.issuer} ${data.envelopeId}`);
    }
    const signedBy = (label: string, message: VerifiedCarried, statementField: string, signer: unknown) => {
      const hash = data[statementField];
      if (hash === undefined) return;
      const statement = typeof hash === 'string' ? this.statementsByHash.get(hash) : undefined;
      if (!statement)
        fail(
          where,
          `the membership statement named by data.${statementField} is not carried in the export`,
          seq,
        );
      const held = [...statement.jwks.keys, ...(statement.historicalKeys ?? []).map((h) => h.jwk)];
      if (statement.sub !== signer || !held.some((k) => k.kid === message.kid)) {
        fail(
          where,
          `${label} is signed by key ${message.kid}, which the membership statement of ${String(signer)} named by the entry does not hold (a swapped signer key)`,
          seq,
        );
      }
    };
    if (data.recordHashes !== undefined) {
      const share = verified.get('messageHash');
      if (!share || share.kind !== 'share')
        fail(
          where,
          'records a receipt with record hashes, but the signed envelope (data.messageHash) is not carried',
          seq,
        );
      const claims = share.claims as unknown as Share;
      if (claims.jti !== data.envelopeId || claims.iss !== data.issuer)
        fail(where, 'names another envelope or issuer than the signed envelope it carries', seq);
      if (!claims.recordsRoot) fail(where, 'the carried envelope commits to no records root', seq);
      if (!Array.isArray(data.recordHashes) || !data.recordHashes.every((h) => typeof h === 'string'))
        fail(where, 'data.recordHashes must be an array of base64url hashes', seq);
      try {
        checkRecordHashes(claims.recordsRoot, data.recordHashes as string[]);
      } catch (error) {
        fail(
          where,
          `the record hashes of the entry do not match the envelope's signed records root: ${describe(error)}`,
          seq,
        );
      }
      signedBy('the envelope', share, 'issuerStatementHash', claims.iss);
      this.receiptsVerified += 1;
    }
    if (data.receiptHash !== undefined) {
      const receipt = verified.get('receiptHash');
      if (!receipt || receipt.kind !== 'purge-receipt')
        fail(where, 'names a purge receipt (data.receiptHash) that the export does not carry', seq);
      const claims = receipt.claims as unknown as PurgeReceipt;
      // The origin's entry names its local consent and the registration the recipient knows it by
      // (issue 16): the receipt names the registration.
      const receiptConsent = data.registrationId ?? data.consentId;
      if (claims.consentId !== receiptConsent || claims.recordsPurged !== data.recordsPurged)
        fail(where, 'says another consent or count of purged records than the signed purge receipt', seq);
      signedBy('the purge receipt', receipt, 'signerStatementHash', claims.iss);
      // The recipient's own purge (data.origin): what it purged is what it proved it received.
      const missing = (claims.envelopeIds ?? []).find(
        (id) => !this.receivedEnvelopes.has(`${String(data.origin)} ${id}`),
      );
      if (typeof data.origin === 'string' && this.fromSeq === 0 && missing !== undefined) {
        fail(
          where,
          `the purge receipt names envelope ${missing} of ${data.origin}, whose receipt is not in the ledger`,
          seq,
        );
      }
      this.purgeReceiptsVerified += 1;
    }
  }
}
