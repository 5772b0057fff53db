import {
  importJwks,
  importPublicJwk,
  isProtocolError,
  leafHash,
  MerkleFrontier,
  noteVerifier,
  openCheckpoint,
  unverifiedKid,
  verifyConsistency,
  type Jwks,
  type NoteVerifier,
  type OkpPublicJwk,
} from '#protocol';
import type { ExportedCheckpoint } from './export-format.js';
import { parseLeaf } from './leaf.js';
import { CarriedMessageVerifier } from './verify-carried.js';
import { checkNow, SignaturesOffThread, type SignatureChecks } from './verify-export-signatures.js';
import {
  ExportVerificationError,
  checkShape,
  decodeHash,
  describe,
  embeddedJws,
  fail,
  isCount,
  isObject,
  messagesBySeq,
  type VerifiedCarried,
} from './verify-export-checks.js';

export { ExportVerificationError } from './verify-export-checks.js';

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

export function verifyExport(input: unknown, options: VerifyExportOptions = {}): VerifyExportReport {
  const walk = verification(input, options, checkNow);
  for (;;) {
    const step = walk.next();
    if (step.done) return step.value;
  }
}

/**
 * verifyExport with the JWS signatures checked on the threadpool while the walk goes on: the same
 * report, and the same first failure, using every core (an export carries thousands of signed
 * messages; their signatures were most of a verification on one core).
 */
export async function verifyExportOffThread(
  input: unknown,
  options: VerifyExportOptions = {},
): Promise<VerifyExportReport> {
  const signatures = new SignaturesOffThread();
  const walk = verification(input, options, signatures);
  try {
    for (;;) {
      const step = walk.next();
      if (step.done) {
        await signatures.settle();
        return step.value;
      }
      if (signatures.full) await signatures.settle();
    }
  } catch (error) {
    // The walk stopped at a problem: a signature that failed before it is the first problem.
    await signatures.settle();
    throw error;
  }
}

/** The verification as a walk that pauses after each entry (so that checks in flight can be read). */
function* verification(
  input: unknown,
  options: VerifyExportOptions,
  signatures: SignatureChecks,
): Generator<void, VerifyExportReport> {
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
  const carriedVerifier = new CarriedMessageVerifier(jwsKeys, trusted !== undefined, doc.fromSeq, signatures);

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
      signatures.check(jws, key, (error) => fail(where, `${path}: ${describe(error)}`, seq));
      jwsVerified += 1;
    }
    const verified = new Map<string, VerifiedCarried>();
    for (const message of carried.get(seq) ?? [])
      verified.set(message.field, carriedVerifier.verifyMessage(seq, leaf.data, message));
    carriedVerifier.verifyEvidence(seq, leaf.data, verified);
    carried.delete(seq);
    frontier.append(hash);
    verifyCheckpointsAtCurrentSize();
    yield;
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
    messagesVerified: carriedVerifier.messagesVerified,
    statementsVerified: carriedVerifier.statementsVerified,
    receiptsVerified: carriedVerifier.receiptsVerified,
    purgeReceiptsVerified: carriedVerifier.purgeReceiptsVerified,
    keysPinned: trusted !== undefined,
  };
}
