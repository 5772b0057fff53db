import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { fromBase64url } from '../encoding.js';
import { ProtocolError } from '../errors.js';
import { canonicalize } from '../jcs.js';
import {
  signCanonicalJwt,
  signCanonicalJwtOffThread,
  signJwt,
  verifyTypedJwt,
  type CanonicalForm,
  type JwsHeader,
  type JwtClaims,
  type JwtExpectations,
  type KeyResolver,
} from '../jws.js';
import type { Ed25519PrivateJwk } from '../keys.js';
import {
  MESSAGE_KINDS,
  messageKindOfTyp,
  type MessageClaims,
  type MessageInput,
  type MessageKind,
} from './kinds.js';
import { nowSeconds } from '../time.js';

export type MessageExpectations = Omit<JwtExpectations, 'typ'>;

export interface VerifiedMessage<K extends MessageKind> {
  kind: K;
  header: JwsHeader;
  claims: MessageClaims<K>;
}

/**
 * What signing a message of `kind` signs: its `typ`, and the claims completed with `iat` and `jti`
 * and checked against the schema (a signer must not sign what verifiers will refuse) — as canonical
 * text already when the kind has a hand-written writer that accepts them, else the claims to write.
 */
function toSign<K extends MessageKind>(
  kind: K,
  claims: MessageInput<K>,
  options: { now?: number },
): { typ: string; text: string } | { typ: string; claims: JwtClaims } {
  const complete = {
    ...claims,
    iat: claims.iat ?? options.now ?? nowSeconds(),
    jti: claims.jti ?? randomUUID(),
  };
  const entry = kindOf(kind);
  const fast = fastForm(entry);
  if (fast) {
    const accepted = fast.fast(complete);
    const text = accepted === undefined ? undefined : fast.canonicalText(accepted);
    if (text !== undefined) return { typ: entry.typ, text };
  }
  parseClaims(kind, complete);
  return { typ: entry.typ, claims: complete as unknown as JwtClaims };
}

/**
 * Validates the claims against the schema of `kind` (a signer must not sign what verifiers will
 * refuse), then signs them as a compact JWS with the `typ` of that kind.
 */
export function signMessage<K extends MessageKind>(
  kind: K,
  claims: MessageInput<K>,
  signingKey: Ed25519PrivateJwk,
  options: { now?: number } = {},
): string {
  const signed = toSign(kind, claims, options);
  return 'text' in signed
    ? signCanonicalJwt(signed.typ, signed.text, signingKey)
    : signJwt(signed.typ, signed.claims, signingKey);
}

/**
 * signMessage with the signature computed on libuv's threadpool: the same JWS, byte for byte (the
 * claims are checked and written the same way; Ed25519 is deterministic). For batches: the
 * signatures of many messages awaited together use every core instead of the event loop alone.
 */
export function signMessageOffThread<K extends MessageKind>(
  kind: K,
  claims: MessageInput<K>,
  signingKey: Ed25519PrivateJwk,
  options: { now?: number } = {},
): Promise<string> {
  const signed = toSign(kind, claims, options);
  const text = 'text' in signed ? signed.text : canonicalize(signed.claims);
  return signCanonicalJwtOffThread(signed.typ, text, signingKey);
}

/** Verifies signature, `typ`, times, audience, issuer and replay, then the claims of `kind`. */
export async function verifyMessage<K extends MessageKind>(
  kind: K,
  jws: string,
  resolveKey: KeyResolver,
  expectations: MessageExpectations,
): Promise<VerifiedMessage<K>> {
  const entry = kindOf(kind);
  // A kind with a fast twin and a canonical writer: the twin's verdict also gives the canonical
  // text to compare the payload with, and is kept for the claims.
  let accepted: MessageClaims<K> | undefined;
  const form = fastForm(entry);
  const canonicalForm: CanonicalForm | undefined = form
    ? (claims) => {
        const fast = form.fast(claims);
        accepted = fast as MessageClaims<K> | undefined;
        return fast === undefined ? undefined : form.canonicalText(fast);
      }
    : undefined;
  const { header, claims } = await verifyTypedJwt(jws, entry.typ, resolveKey, expectations, canonicalForm);
  return { kind, header, claims: accepted ?? parseClaims(kind, claims) };
}

/** Reads the kind of a message from its (unverified) header, to route it; undefined if unknown. */
export function peekMessageKind(jws: string): MessageKind | undefined {
  try {
    const header = JSON.parse(fromBase64url(jws.split('.')[0] ?? '', 'JWS header').toString('utf8')) as {
      typ?: unknown;
    };
    return typeof header.typ === 'string' ? messageKindOfTyp(header.typ) : undefined;
  } catch {
    return undefined;
  }
}

/** base64url SHA-256 of a compact JWS: how one message refers to another (e.g. agreementHash). */
export function jwsHash(jws: string): string {
  return createHash('sha256').update(jws, 'ascii').digest('base64url');
}

/** A kind's fast twin and its canonical writer (each kind's pair takes that kind's claims). */
interface FastForm {
  fast(value: unknown): unknown;
  canonicalText(accepted: unknown): string | undefined;
}

function fastForm(entry: ReturnType<typeof kindOf>): FastForm | undefined {
  return 'canonicalText' in entry ? (entry as unknown as FastForm) : undefined;
}

function kindOf(kind: MessageKind) {
  const entry = MESSAGE_KINDS[kind];
  if (!entry) throw new ProtocolError('WRONG_TYPE', `unknown message kind "${String(kind)}"`);
  return entry;
}

/** The claims as the schema of `kind` parses them (its fast twin first, if any), or INVALID_CLAIMS. */
function parseClaims<K extends MessageKind>(kind: K, claims: unknown): MessageClaims<K> {
  const entry = kindOf(kind);
  const fast = 'fast' in entry ? entry.fast(claims) : undefined;
  if (fast !== undefined) return fast as MessageClaims<K>;
  const parsed = entry.schema.safeParse(claims);
  if (!parsed.success) throw invalidClaims(kind, parsed.error);
  return parsed.data as MessageClaims<K>;
}

function invalidClaims(kind: MessageKind, error: z.ZodError): ProtocolError {
  return new ProtocolError('INVALID_CLAIMS', `${kind} claims are not valid: ${z.prettifyError(error)}`);
}
