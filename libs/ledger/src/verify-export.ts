import {
  checkRecordHashes,
  unverifiedJwsPart,
  unverifiedKid,
  importJwks,
  importPublicJwk,
  isProtocolError,
  jwsHash,
  leafHash,
  MESSAGE_KINDS,
  messageKindOfTyp,
  MerkleFrontier,
  noteVerifier,
  openCheckpoint,
  verifyCompact,
  verifyConsistency,
  type FederationKeyRotation,
  type Jwks,
  type MembershipStatement,
  type NoteVerifier,
  type OkpPublicJwk,
  type PurgeReceipt,
  type Share,
} from '#protocol';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  MESSAGE_HASH_FIELD,
  type ExportedCheckpoint,
  type ExportedMessage,
  type LedgerExport,
} from './export-format.js';
import { parseLeaf } from './leaf.js';

/** Message kinds the federation itself signs (the others are signed by the member they name as `iss`). */
const FEDERATION_SIGNED_KINDS = new Set(['membership-statement', 'federation-key-rotation', 'merge-result']);

/**
 * Offline verification of a ledger export: pure, no database, no network. Checks, in ledger order,
 * that every entry is canonical JSON of the leaf shape, that its recomputed leaf hash matches, that
 * seqs are gap-free, that the embedded JWS verify, that the root recomputed from the entries
 * equals every checkpoint's, that every checkpoint is signed by a known key, and that successive
 * checkpoints are consistent (RFC 9162 proofs), and that every carried signed message matches the
 * hash its entry names and is signed: membership statements by the federation, member messages by
 * a key that a verified statement of their issuer vouched for. Stops at the first problem, naming
 * where it is.
 */
export interface VerifyExportOptions {
  /** Trusted keys (e.g. the federation's key directory). When given, only these keys are accepted. */
  trustedKeys?: Jwks;
}

export interface VerifyExportReport {
  origin: string;
  fromSeq: number;
  toSize: number;
  entries: number;
  firstSeq: number | null;
  lastSeq: number | null;
  checkpoints: number;
  checkpointSizes: number[];
  signers: string[];
  jwsVerified: number;
  /** Carried signed messages (ExportedMessage) whose hash and signature verified. */
  messagesVerified: number;
  /** Of those, the federation's membership statements (whose keys then verify member messages). */
  statementsVerified: number;
  /** Receipts of share envelopes proved by the signed envelope and the entry's record hashes. */
  receiptsVerified: number;
  /** Signed purge receipts (issued by this node, or received from a recipient) carried and verified. */
  purgeReceiptsVerified: number;
  keysPinned: boolean;
}

/** A verification failure; `where` names the first bad entry or checkpoint ("entry seq 17"). */
export class ExportVerificationError extends Error {
  override readonly name = 'ExportVerificationError';
  constructor(
    readonly where: string,
    readonly problem: string,
    readonly seq?: number,
  ) {
    super(`${where}: ${problem}`);
  }
}

/** A carried message once verified: its kind, signing kid and claims. */
interface VerifiedCarried {
  kind: string;
  kid: string;
  claims: Record<string, unknown>;
}

const HASH_B64 = /^[A-Za-z0-9+/]{43}=$/;

function fail(where: string, problem: string, seq?: number): never {
  throw new ExportVerificationError(where, problem, seq);
}

function describe(error: unknown): string {
  if (isProtocolError(error)) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

function decodeHash(text: unknown, where: string, what: string, seq?: number): Buffer {
  if (typeof text !== 'string' || !HASH_B64.test(text))
    fail(where, `${what} is not a base64 SHA-256 hash`, seq);
  return Buffer.from(text, 'base64');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Every string found under a member named `jws` or ending in `Jws`, with its path. */
function embeddedJws(value: unknown, path: string, found: [string, string][] = []): [string, string][] {
  if (Array.isArray(value)) value.forEach((item, i) => embeddedJws(item, `${path}[${i}]`, found));
  else if (isObject(value)) {
    for (const [key, member] of Object.entries(value)) {
      const memberPath = `${path}.${key}`;
      if ((key === 'jws' || key.endsWith('Jws')) && typeof member === 'string')
        found.push([memberPath, member]);
      else embeddedJws(member, memberPath, found);
    }
  }
  return found;
}

/** Carried messages grouped by the seq of the entry that names them (shapes checked). */
function messagesBySeq(messages: unknown): Map<number, ExportedMessage[]> {
  const bySeq = new Map<number, ExportedMessage[]>();
  if (messages === undefined) return bySeq;
  if (!Array.isArray(messages)) fail('export', 'messages must be an array');
  for (const [i, m] of messages.entries()) {
    if (!isObject(m) || !isCount(m.seq) || typeof m.field !== 'string' || typeof m.jws !== 'string') {
      fail(`message ${i} of the export`, 'needs a seq, a field and a jws');
    }
    if (!MESSAGE_HASH_FIELD.test(m.field))
      fail(`message ${i} of the export`, `field "${m.field}" is not a hash field`);
    const list = bySeq.get(m.seq) ?? [];
    list.push({ seq: m.seq, field: m.field, jws: m.jws });
    bySeq.set(m.seq, list);
  }
  return bySeq;
}

function checkShape(input: unknown): asserts input is LedgerExport {
  const where = 'export';
  if (!isObject(input)) fail(where, 'is not a JSON object');
  if (input.format !== EXPORT_FORMAT) fail(where, `is not a ${EXPORT_FORMAT} document`);
  if (input.version !== EXPORT_VERSION)
    fail(where, `format version ${String(input.version)} is not supported`);
  if (typeof input.origin !== 'string' || input.origin === '') fail(where, 'has no origin');
  if (!isCount(input.fromSeq) || !isCount(input.toSize) || !isCount(input.entryCount)) {
    fail(where, 'fromSeq, toSize and entryCount must be integers ≥ 0');
  }
  if (input.toSize < input.fromSeq) fail(where, 'toSize is below fromSeq');
  if (!Array.isArray(input.prefix) || !Array.isArray(input.entries) || !Array.isArray(input.checkpoints)) {
    fail(where, 'prefix, entries and checkpoints must be arrays');
  }
  const keys = input.keys as Record<string, unknown> | undefined;
  if (!isObject(keys) || !Array.isArray(keys.checkpoint) || !isObject(keys.jws)) {
    fail(where, 'keys must hold "checkpoint" (array) and "jws" (JWKS)');
  }
}

export function verifyExport(input: unknown, options: VerifyExportOptions = {}): VerifyExportReport {
  checkShape(input);
  const doc = input;
  const trusted = options.trustedKeys ? new Map(options.trustedKeys.keys.map((k) => [k.kid, k])) : undefined;

  // Checkpoint keys: the export's, restricted to the trusted ones when a trust list is given.
  const verifiers: NoteVerifier[] = [];
  for (const [i, key] of (doc.keys.checkpoint as unknown[]).entries()) {
    const where = `checkpoint key ${i}`;
    if (!isObject(key) || typeof key.name !== 'string') fail(where, 'needs a name and a public JWK');
    let jwk: OkpPublicJwk<'Ed25519'>;
    try {
      jwk = importPublicJwk(key.publicJwk, 'Ed25519');
      if (trusted && !trusted.has(jwk.kid)) continue; // checkpoints it signed then fail as unknown
      verifiers.push(noteVerifier(key.name, jwk));
    } catch (error) {
      fail(where, describe(error));
    }
  }
  let jwsKeys: Map<string, OkpPublicJwk>;
  try {
    const exportJwks = importJwks(doc.keys.jws);
    jwsKeys = trusted ?? new Map(exportJwks.keys.map((k) => [k.kid, k]));
  } catch (error) {
    fail('export keys.jws', describe(error));
  }
  const carried = messagesBySeq((doc as { messages?: unknown }).messages);
  /** partner id → kid → key, from the membership statements verified so far. */
  const vouched = new Map<string, Map<string, OkpPublicJwk>>();
  /**
   * When keys retired, from the signed messages verified so far: the federation's by its key
   * rotation statements (the previous key retires when the next activates), members' by the
   * `historicalKeys` of their statements. A retired key verifies only what it signed before.
   */
  const federationRetiredAt = new Map<string, number>();
  const memberRetiredAt = new Map<string, Map<string, number>>();
  let messagesVerified = 0;
  let statementsVerified = 0;

  /** The verified membership statements by jwsHash: the keys they vouched for, at the time. */
  const statementsByHash = new Map<string, MembershipStatement>();
  let receiptsVerified = 0;
  let purgeReceiptsVerified = 0;

  /** Hash, signature and claims of one carried message of entry `seq`. */
  const verifyMessage = (seq: number, data: unknown, message: ExportedMessage): VerifiedCarried => {
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
      ? jwsKeys.get(kid)
      : (vouched.get(issuer)?.get(kid) ?? (trusted ? undefined : jwsKeys.get(kid)));
    if (!key) {
      fail(
        where,
        byFederation
          ? `${label} is signed by an unknown federation key (kid ${kid || 'none'})`
          : `${label} is signed by a key no membership statement of ${issuer || 'its issuer'} vouches for (kid ${kid || 'none'})`,
        seq,
      );
    }
    try {
      verifyCompact(message.jws, key);
    } catch (error) {
      fail(where, `${label}: signature does not verify: ${describe(error)}`, seq);
    }
    const parsed = MESSAGE_KINDS[kind].schema.safeParse(claims);
    if (!parsed.success) fail(where, `${label} has claims that are not a valid ${kind}`, seq);
    const retiredAt = byFederation ? federationRetiredAt.get(kid) : memberRetiredAt.get(issuer)?.get(kid);
    if (retiredAt !== undefined && (parsed.data as { iat: number }).iat >= retiredAt) {
      fail(where, `${label} is signed by key ${kid} after it retired (at ${retiredAt})`, seq);
    }
    if (kind === 'membership-statement') {
      statementsByHash.set(named, parsed.data as MembershipStatement);
      const { sub, jwks, historicalKeys } = parsed.data as MembershipStatement;
      const keys = vouched.get(sub) ?? new Map<string, OkpPublicJwk>();
      for (const k of jwks.keys) keys.set(k.kid, k);
      vouched.set(sub, keys);
      const retired = memberRetiredAt.get(sub) ?? new Map<string, number>();
      for (const { jwk, retiredAt: at } of historicalKeys ?? []) {
        if (!keys.has(jwk.kid)) keys.set(jwk.kid, jwk); // an export may start after the key retired
        retired.set(jwk.kid, at);
      }
      memberRetiredAt.set(sub, retired);
      statementsVerified += 1;
    }
    if (kind === 'federation-key-rotation') {
      const { previousKid, activatesAt } = parsed.data as FederationKeyRotation;
      federationRetiredAt.set(previousKid, activatesAt);
    }
    messagesVerified += 1;
    return { kind, kid, claims: parsed.data as Record<string, unknown> };
  };

  /**
   * Evidence entries of a node (share.received with record hashes, share.purged and
   * share.purge-confirmed with a receipt hash): the signed message they rest on must be carried and
   * must say what the entry says, its signer's key must be one that the membership statement named
   * by the entry held at the time, and a receipt's record hashes must hash to the signed root. In an
   * export from 0, the envelopes a node's purge receipt names must have their receipt in the ledger.
   */
  const receivedEnvelopes = new Set<string>();
  const verifyEvidence = (seq: number, data: unknown, verified: Map<string, VerifiedCarried>): void => {
    if (!isObject(data)) return;
    const where = `entry seq ${seq}`;
    if (typeof data.issuer === 'string' && typeof data.envelopeId === 'string' && 'messageHash' in data) {
      receivedEnvelopes.add(`${data.issuer} ${data.envelopeId}`);
    }
    const signedBy = (label: string, message: VerifiedCarried, statementField: string, signer: unknown) => {
      const hash = data[statementField];
      if (hash === undefined) return;
      const statement = typeof hash === 'string' ? statementsByHash.get(hash) : undefined;
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
      receiptsVerified += 1;
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
        (id) => !receivedEnvelopes.has(`${String(data.origin)} ${id}`),
      );
      if (typeof data.origin === 'string' && doc.fromSeq === 0 && missing !== undefined) {
        fail(
          where,
          `the purge receipt names envelope ${missing} of ${data.origin}, whose receipt is not in the ledger`,
          seq,
        );
      }
      purgeReceiptsVerified += 1;
    }
  };

  let frontier: MerkleFrontier;
  try {
    frontier = MerkleFrontier.restore({
      size: doc.fromSeq,
      hashes: doc.prefix.map((hash, i) => decodeHash(hash, 'export prefix', `hash ${i}`)),
    });
  } catch (error) {
    if (error instanceof ExportVerificationError) throw error;
    fail('export prefix', describe(error));
  }

  const checkpoints = doc.checkpoints as unknown[];
  let previousSize = doc.fromSeq - 1;
  for (const [i, c] of checkpoints.entries()) {
    if (!isObject(c) || !isCount(c.size)) fail(`checkpoint ${i}`, 'has no valid size');
    if (c.size <= previousSize)
      fail(`checkpoint ${i} (size ${c.size})`, 'checkpoints are not in increasing size order');
    if (c.size > doc.toSize)
      fail(`checkpoint ${i} (size ${c.size})`, `lies beyond the export's size ${doc.toSize}`);
    previousSize = c.size;
  }

  let nextCheckpoint = 0;
  let previous: { size: number; root: Uint8Array } | undefined;
  const signers = new Set<string>();
  const verifyCheckpointsAtCurrentSize = (): void => {
    while (nextCheckpoint < checkpoints.length) {
      const c = checkpoints[nextCheckpoint] as ExportedCheckpoint;
      if (c.size !== frontier.size) return;
      const where = `checkpoint at size ${c.size}`;
      let opened;
      try {
        opened = openCheckpoint(c.note, verifiers, { origin: doc.origin });
      } catch (error) {
        if (isProtocolError(error, 'UNKNOWN_KEY')) {
          fail(where, `is not signed by a known key${trusted ? ' (none of the trusted keys)' : ''}`);
        }
        fail(where, `signature: ${describe(error)}`);
      }
      opened.verifiedBy.forEach((name) => signers.add(name));
      const root = frontier.root();
      if (opened.checkpoint.size !== c.size)
        fail(where, `its signed note is for size ${opened.checkpoint.size}`);
      if (Buffer.compare(opened.checkpoint.rootHash, decodeHash(c.rootHash, where, 'rootHash')) !== 0) {
        fail(where, 'declared root differs from the signed one');
      }
      if (Buffer.compare(opened.checkpoint.rootHash, root) !== 0) {
        const range = previous ? `entries ${previous.size}…${c.size - 1}` : `entries before ${c.size}`;
        fail(where, `signed root does not match the root of the entries (${range} or their order changed)`);
      }
      if (previous) {
        if (!Array.isArray(c.consistencyProof))
          fail(where, `has no consistency proof from size ${previous.size}`);
        try {
          const proof = c.consistencyProof.map((hash, j) =>
            decodeHash(hash, where, `consistency proof hash ${j}`),
          );
          verifyConsistency(previous.size, c.size, proof, previous.root, root);
        } catch (error) {
          if (error instanceof ExportVerificationError) throw error;
          fail(where, `not consistent with the checkpoint at size ${previous.size}: ${describe(error)}`);
        }
      }
      previous = { size: c.size, root };
      nextCheckpoint += 1;
    }
  };

  verifyCheckpointsAtCurrentSize();
  let jwsVerified = 0;
  const entries = doc.entries as unknown[];
  for (const [i, item] of entries.entries()) {
    const expected = doc.fromSeq + i;
    if (!isObject(item) || !isCount(item.seq)) fail(`entry ${i} of the export`, 'has no valid seq', expected);
    const seq = item.seq;
    const where = `entry seq ${seq}`;
    if (seq !== expected) {
      fail(
        `entry seq ${expected}`,
        seq > expected
          ? `is missing (the next entry holds seq ${seq})`
          : `is out of order (found seq ${seq})`,
        expected,
      );
    }
    if (typeof item.entry !== 'string') fail(where, 'has no entry text', seq);
    let leaf;
    try {
      leaf = parseLeaf(item.entry);
    } catch (error) {
      fail(where, `is not a valid canonical JSON leaf: ${describe(error)}`, seq);
    }
    if (item.kind !== leaf.kind)
      fail(where, `kind "${String(item.kind)}" differs from the signed leaf's`, seq);
    if (typeof item.appendedAt !== 'string' || Date.parse(item.appendedAt) !== Date.parse(leaf.at)) {
      fail(where, 'appendedAt differs from the time in the leaf', seq);
    }
    const hash = leafHash(Buffer.from(item.entry, 'utf8'));
    if (Buffer.compare(hash, decodeHash(item.leafHash, where, 'leafHash', seq)) !== 0) {
      fail(where, 'content does not match its leaf hash (the entry was changed after it was appended)', seq);
    }
    for (const [path, jws] of embeddedJws(leaf.data, 'data')) {
      const kid = unverifiedKid(jws);
      const key = kid === undefined ? undefined : jwsKeys.get(kid);
      if (!key) fail(where, `${path} is signed by an unknown key${kid ? ` (kid ${kid})` : ''}`, seq);
      try {
        verifyCompact(jws, key);
      } catch (error) {
        fail(where, `${path}: ${describe(error)}`, seq);
      }
      jwsVerified += 1;
    }
    const verified = new Map<string, VerifiedCarried>();
    for (const message of carried.get(seq) ?? [])
      verified.set(message.field, verifyMessage(seq, leaf.data, message));
    verifyEvidence(seq, leaf.data, verified);
    carried.delete(seq);
    frontier.append(hash);
    verifyCheckpointsAtCurrentSize();
  }

  const end = doc.fromSeq + entries.length;
  if (end < doc.toSize || entries.length < doc.entryCount) {
    fail(
      'export',
      `is cut short: it declares entries up to size ${doc.toSize} but holds them only up to ${end}`,
    );
  }
  if (end > doc.toSize || entries.length !== doc.entryCount) {
    fail(
      'export',
      `holds ${entries.length} entries where it declares ${doc.entryCount} (to size ${doc.toSize})`,
    );
  }
  if (nextCheckpoint < checkpoints.length) {
    fail(
      `checkpoint at size ${(checkpoints[nextCheckpoint] as ExportedCheckpoint).size}`,
      'lies beyond the last entry',
    );
  }
  const stray = [...carried.keys()][0];
  if (stray !== undefined)
    fail(`message for entry seq ${stray}`, 'names an entry that is not in the export', stray);
  if (entries.length > 0 && (!previous || previous.size < end)) {
    fail(
      'export',
      `entries ${previous ? previous.size : doc.fromSeq}…${end - 1} are not covered by any signed checkpoint`,
      previous ? previous.size : doc.fromSeq,
    );
  }
  return {
    origin: doc.origin,
    fromSeq: doc.fromSeq,
    toSize: doc.toSize,
    entries: entries.length,
    firstSeq: entries.length > 0 ? doc.fromSeq : null,
    lastSeq: entries.length > 0 ? end - 1 : null,
    checkpoints: checkpoints.length,
    checkpointSizes: (checkpoints as ExportedCheckpoint[]).map((c) => c.size),
    signers: [...signers],
    jwsVerified,
    messagesVerified,
    statementsVerified,
    receiptsVerified,
    purgeReceiptsVerified,
    keysPinned: trusted !== undefined,
  };
}
