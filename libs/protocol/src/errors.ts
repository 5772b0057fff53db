/**
 * Every refusal of the protocol library is a ProtocolError with a stable `code`, so that callers
 * (HTTP handlers, the relay, the audit CLI) can map it to a response or a ledger entry without
 * parsing messages. Messages are for humans and may change; codes may not.
 */
export const PROTOCOL_ERROR_CODES = [
  /** Not parseable: bad base64url, bad JSON, wrong number of parts, wrong hash length… */
  'MALFORMED',
  /** JSON that is valid but not in RFC 8785 canonical form where canonical form is required. */
  'NOT_CANONICAL',
  /** The claims do not match the schema of the message kind. */
  'INVALID_CLAIMS',
  /** A header algorithm other than the one the protocol allows. */
  'UNSUPPORTED_ALGORITHM',
  /** The signature does not match the signed bytes under the resolved key. */
  'SIGNATURE_INVALID',
  /** No key is known for the `kid` (or for the issuer that claims it). */
  'UNKNOWN_KEY',
  /** A key that is not of the expected type, or a JWK whose `kid` is not its thumbprint. */
  'INVALID_KEY',
  /** The `typ` header is not the one of the expected message kind. */
  'WRONG_TYPE',
  'EXPIRED',
  'NOT_YET_VALID',
  'WRONG_AUDIENCE',
  'WRONG_ISSUER',
  /** The message id (`jti`) has been seen before. */
  'REPLAYED',
  /** An e-mail address or phone number that cannot be normalised. */
  'INVALID_IDENTIFIER',
  /** A Merkle index or size outside the tree. */
  'OUT_OF_RANGE',
  /** A Merkle proof that does not lead to the expected root. */
  'PROOF_INVALID',
  'DECRYPTION_FAILED',
] as const;

export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';

  constructor(
    readonly code: ProtocolErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isProtocolError(error: unknown, code?: ProtocolErrorCode): error is ProtocolError {
  return error instanceof ProtocolError && (code === undefined || error.code === code);
}

/**
 * Refusals whose caller is not identified: no credentials, nothing parseable, or a key no member
 * holds. Anyone can send these by the thousand, so they are recorded aggregated (one row per kind,
 * reason, route and minute, with a count); forged (SIGNATURE_INVALID under a known key), replayed,
 * expired or mis-addressed messages of identified senders are recorded one by one.
 */
export const ANONYMOUS_REFUSAL_REASONS: ReadonlySet<string> = new Set([
  'MISSING_CREDENTIALS',
  'MALFORMED',
  'UNKNOWN_KEY',
  'UNSUPPORTED_ALGORITHM',
]);
