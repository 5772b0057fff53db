import { leafHash, merkleRoot } from '#protocol';

/**
 * The binary manifest of a segment merge (docs/protocol.md, "Segment merge"): one fixed-size
 * record per subject token, sorted by token, cut into chunks.
 *
 *   record = token (32 bytes: the raw HMAC-SHA256 subject token)
 *          ‖ member (uint32, big-endian: the member's ordinal in this manifest, 0 … members − 1)
 *          ‖ flags (1 byte: bit 0 = this token is covered by a live consent to share segment
 *            membership for marketing with the other partner; bits 1-7 = the member's bucket,
 *            1 … buckets, or 0 for none/unknown, when the merge is broken down by an attribute)
 *
 * A member (one customer) has one record per token (e-mail, phone…), all with its ordinal, so
 * counts are of people, not of tokens. Tokens are strictly increasing across the whole manifest:
 * a duplicate (or an unsorted record) is refused with its chunk and position, while streaming.
 */
export const TOKEN_BYTES = 32;
export const RECORD_BYTES = TOKEN_BYTES + 4 + 1;
export const FLAG_CONSENT = 0x01;
/** Buckets of a breakdown (bits 1-7 of the flag byte). */
export const MAX_BUCKETS = 127;
/** Default records per chunk (about 2.4 MB per chunk). */
export const DEFAULT_CHUNK_RECORDS = 65_536;
/** Upper bound of records in one manifest (and of members). */
export const MAX_MANIFEST_RECORDS = 2 ** 26;

export type ManifestProblem =
  | 'CHUNK_LENGTH'
  | 'CHUNK_EMPTY'
  | 'FLAGS'
  | 'MEMBER_RANGE'
  | 'DUPLICATE_TOKEN'
  | 'UNSORTED'
  | 'MEMBER_MISSING'
  | 'CHUNK_COUNT'
  | 'TOTAL'
  | 'ROOT'
  | 'TOKEN';

/** A refused manifest: what is wrong, and where (chunk index and record position inside it). */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  constructor(
    readonly problem: ManifestProblem,
    message: string,
    readonly chunk?: number,
    readonly position?: number,
  ) {
    super(
      chunk === undefined
        ? message
        : `chunk ${chunk}${position === undefined ? '' : `, record ${position}`}: ${message}`,
    );
  }
}

export interface ManifestEntry {
  /** The 32 raw bytes of a subject token. */
  token: Uint8Array;
  /** The member's ordinal, 0 … members − 1. */
  member: number;
  consent: boolean;
  /** 1 … MAX_BUCKETS: the member's bucket in a breakdown; 0 or absent: none. */
  bucket?: number;
}

export interface EncodedManifest {
  chunks: Buffer[];
  chunkCount: number;
  /** Records (tokens). */
  total: number;
  members: number;
  /** base64url RFC 9162 Merkle root over the chunks (leaf = SHA-256(0x00 ‖ chunk bytes)). */
  root: string;
}

/** The 32 bytes of a base64url subject token; refuses anything else. */
export function tokenBytes(token: string): Buffer {
  const bytes = /^[A-Za-z0-9_-]{43}$/u.test(token) ? Buffer.from(token, 'base64url') : Buffer.alloc(0);
  if (bytes.length !== TOKEN_BYTES || bytes.toString('base64url') !== token) {
    throw new ManifestError('TOKEN', 'a subject token is 43 base64url characters (32 bytes)');
  }
  return bytes;
}

/**
 * Sorts the entries by token and encodes them as chunks. Two entries with the same token are
 * refused (a token names one person). `members` is one more than the largest ordinal.
 */
export function encodeManifest(
  entries: readonly ManifestEntry[],
  chunkRecords = DEFAULT_CHUNK_RECORDS,
  buckets = MAX_BUCKETS,
): EncodedManifest {
  if (entries.length === 0) throw new ManifestError('CHUNK_EMPTY', 'a manifest needs at least one token');
  const all = Buffer.allocUnsafe(entries.length * RECORD_BYTES);
  let members = 0;
  entries.forEach((entry, i) => {
    if (entry.token.length !== TOKEN_BYTES) throw new ManifestError('TOKEN', `entry ${i}: not 32 bytes`);
    if (!Number.isInteger(entry.member) || entry.member < 0 || entry.member > 0xffffffff) {
      throw new ManifestError('MEMBER_RANGE', `entry ${i}: bad member ordinal`);
    }
    const at = i * RECORD_BYTES;
    all.set(entry.token, at);
    all.writeUInt32BE(entry.member, at + TOKEN_BYTES);
    const bucket = entry.bucket ?? 0;
    if (!Number.isInteger(bucket) || bucket < 0 || bucket > MAX_BUCKETS) {
      throw new ManifestError('FLAGS', `entry ${i}: bucket must be 0 to ${MAX_BUCKETS}`);
    }
    all[at + TOKEN_BYTES + 4] = (bucket << 1) | (entry.consent ? FLAG_CONSENT : 0);
    members = Math.max(members, entry.member + 1);
  });
  const order = sortedOrder(all, entries.length);
  const sorted = Buffer.allocUnsafe(all.length);
  order.forEach((from, to) =>
    all.copy(sorted, to * RECORD_BYTES, from * RECORD_BYTES, (from + 1) * RECORD_BYTES),
  );
  const chunks: Buffer[] = [];
  for (let start = 0; start < entries.length; start += chunkRecords) {
    chunks.push(
      sorted.subarray(start * RECORD_BYTES, Math.min(entries.length, start + chunkRecords) * RECORD_BYTES),
    );
  }
  validateManifest(chunks, { chunkCount: chunks.length, total: entries.length, members, buckets });
  return { chunks, chunkCount: chunks.length, total: entries.length, members, root: manifestRoot(chunks) };
}

const INDEX_BITS = 26n;
const INDEX_MASK = (1n << INDEX_BITS) - 1n;

/**
 * The order of the records by token. Tokens are HMAC outputs (uniform), so a native numeric sort
 * of (38-bit token prefix ‖ 26-bit record index) as 64-bit integers orders them but for the rare
 * runs of equal prefixes, which are then ordered by the whole token. About 10× faster than
 * sorting with a comparator of buffers.
 */
function sortedOrder(all: Buffer, n: number): Uint32Array {
  if (n > Number(INDEX_MASK) + 1)
    throw new ManifestError('TOTAL', `more than ${MAX_MANIFEST_RECORDS} records`);
  const prefix = (i: number) =>
    (BigInt(all.readUInt32BE(i * RECORD_BYTES)) << 6n) | BigInt(all[i * RECORD_BYTES + 4]! >> 2);
  const keys = new BigUint64Array(n);
  for (let i = 0; i < n; i += 1) keys[i] = (prefix(i) << INDEX_BITS) | BigInt(i);
  keys.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i += 1) order[i] = Number(keys[i]! & INDEX_MASK);
  for (let start = 0; start < n;) {
    let end = start + 1;
    const run = keys[start]! >> INDEX_BITS;
    while (end < n && keys[end]! >> INDEX_BITS === run) end += 1;
    if (end - start > 1) {
      order
        .subarray(start, end)
        .sort((x, y) =>
          all.compare(
            all,
            y * RECORD_BYTES,
            y * RECORD_BYTES + TOKEN_BYTES,
            x * RECORD_BYTES,
            x * RECORD_BYTES + TOKEN_BYTES,
          ),
        );
    }
    start = end;
  }
  return order;
}

/** base64url Merkle root over the chunks, each leaf = SHA-256(0x00 ‖ chunk). */
export function manifestRoot(chunks: readonly Uint8Array[]): string {
  return Buffer.from(merkleRoot(chunks.map((chunk) => leafHash(chunk)))).toString('base64url');
}

export interface ChunkSummary {
  records: number;
  /** The first and last tokens, to check the order across chunks. */
  first: Buffer;
  last: Buffer;
}

/**
 * Checks one chunk as it arrives: whole records, flags, member ordinals below `members`, tokens
 * strictly increasing (no duplicate). Throws a ManifestError naming the chunk and record.
 */
export function validateChunk(chunk: Uint8Array, index: number, members: number, buckets = 0): ChunkSummary {
  const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  if (bytes.length === 0) throw new ManifestError('CHUNK_EMPTY', 'empty chunk', index);
  if (bytes.length % RECORD_BYTES !== 0) {
    throw new ManifestError(
      'CHUNK_LENGTH',
      `${bytes.length} bytes is not a whole number of ${RECORD_BYTES}-byte records`,
      index,
      Math.floor(bytes.length / RECORD_BYTES),
    );
  }
  const records = bytes.length / RECORD_BYTES;
  for (let i = 0; i < records; i += 1) {
    const at = i * RECORD_BYTES;
    const flags = bytes[at + TOKEN_BYTES + 4]!;
    if (flags >> 1 > buckets) {
      throw new ManifestError(
        'FLAGS',
        `flag byte 0x${flags.toString(16)} names bucket ${flags >> 1}, not one of the ${buckets} declared`,
        index,
        i,
      );
    }
    if (bytes.readUInt32BE(at + TOKEN_BYTES) >= members) {
      throw new ManifestError('MEMBER_RANGE', `member ordinal is not below ${members}`, index, i);
    }
    if (i > 0) {
      const order = compareTokens(bytes, at - RECORD_BYTES, bytes, at);
      if (order === 0) throw new ManifestError('DUPLICATE_TOKEN', 'duplicated token', index, i);
      if (order > 0) throw new ManifestError('UNSORTED', 'tokens are not in increasing order', index, i);
    }
  }
  return {
    records,
    first: Buffer.from(bytes.subarray(0, TOKEN_BYTES)),
    last: Buffer.from(
      bytes.subarray((records - 1) * RECORD_BYTES, (records - 1) * RECORD_BYTES + TOKEN_BYTES),
    ),
  };
}

export interface ManifestHeaderFacts {
  chunkCount: number;
  total: number;
  members: number;
  /** Buckets declared by the header (0: no breakdown). */
  buckets?: number;
  /** When given, the chunks must hash to it. */
  root?: string;
}

/**
 * Checks a complete manifest against its signed header: the chunk count, the total, the Merkle
 * root, the order across chunk boundaries (so no token repeats anywhere) and that every member
 * ordinal has at least one token. Returns the chunks as one buffer.
 */
export function validateManifest(
  chunks: readonly Uint8Array[],
  header: ManifestHeaderFacts,
  summaries?: readonly ChunkSummary[],
): Buffer {
  if (chunks.length !== header.chunkCount) {
    throw new ManifestError('CHUNK_COUNT', `${chunks.length} chunks instead of ${header.chunkCount}`);
  }
  const checked =
    summaries ?? chunks.map((chunk, i) => validateChunk(chunk, i, header.members, header.buckets));
  for (let i = 1; i < checked.length; i += 1) {
    const order = checked[i - 1]!.last.compare(checked[i]!.first);
    if (order === 0) throw new ManifestError('DUPLICATE_TOKEN', 'duplicated token', i, 0);
    if (order > 0) throw new ManifestError('UNSORTED', 'tokens are not in increasing order', i, 0);
  }
  const total = checked.reduce((sum, s) => sum + s.records, 0);
  if (total !== header.total) throw new ManifestError('TOTAL', `${total} records instead of ${header.total}`);
  if (header.root !== undefined && manifestRoot(chunks) !== header.root) {
    throw new ManifestError('ROOT', 'the chunks do not hash to the signed root');
  }
  const all = Buffer.concat(chunks.map((c) => (Buffer.isBuffer(c) ? c : Buffer.from(c))));
  const seen = new Uint8Array(header.members);
  let present = 0;
  for (let at = TOKEN_BYTES; at < all.length; at += RECORD_BYTES) {
    const member = all.readUInt32BE(at);
    if (seen[member] === 0) {
      seen[member] = 1;
      present += 1;
    }
  }
  if (present !== header.members) {
    throw new ManifestError('MEMBER_MISSING', `${header.members - present} member ordinals have no token`);
  }
  return all;
}

/** Compares the tokens of two records (first 4 bytes as an integer, then the rest). */
export function compareTokens(a: Buffer, aAt: number, b: Buffer, bAt: number): number {
  const x = a.readUInt32BE(aAt);
  const y = b.readUInt32BE(bAt);
  if (x !== y) return x < y ? -1 : 1;
  return a.compare(b, bAt + 4, bAt + TOKEN_BYTES, aAt + 4, aAt + TOKEN_BYTES);
}
