import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  encodeManifest,
  ManifestError,
  manifestRoot,
  overlap,
  RECORD_BYTES,
  tokenBytes,
  TOKEN_BYTES,
  validateChunk,
  validateManifest,
  type ManifestEntry,
} from './index.js';

const token = (name: string): Buffer => createHash('sha256').update(name).digest();
const entries = (people: { tokens: string[]; consent?: boolean }[]): ManifestEntry[] =>
  people.flatMap((p, member) =>
    p.tokens.map((t) => ({ token: token(t), member, consent: p.consent ?? false })),
  );
const side = (people: { tokens: string[]; consent?: boolean }[], chunk = 3) => {
  const m = encodeManifest(entries(people), chunk);
  return { manifest: m, side: { records: validateManifest(m.chunks, m), members: m.members } };
};
const refusal = (fn: () => unknown): ManifestError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ManifestError) return error;
    throw error;
  }
  throw new Error('not refused');
};

describe('manifest encoding and validation', () => {
  it('sorts by token, chunks, and roots the chunks', () => {
    const m = encodeManifest(entries([{ tokens: ['x', 'y'] }, { tokens: ['z'] }]), 2);
    expect(m.total).toBe(3);
    expect(m.members).toBe(2);
    expect(m.chunks.map((c) => c.length)).toEqual([2 * RECORD_BYTES, RECORD_BYTES]);
    expect(m.root).toBe(manifestRoot(m.chunks));
    const all = Buffer.concat(m.chunks);
    const tokens = [0, 1, 2].map((i) => all.subarray(i * RECORD_BYTES, i * RECORD_BYTES + TOKEN_BYTES));
    expect([...tokens].sort(Buffer.compare)).toEqual(tokens);
  });

  it('orders tokens that share a long prefix by the whole token', () => {
    const t = (last: number) =>
      Buffer.concat([Buffer.alloc(5, 0xab), Buffer.alloc(26, 1), Buffer.from([last])]);
    const m = encodeManifest([3, 1, 2].map((last, member) => ({ token: t(last), member, consent: false })));
    const all = Buffer.concat(m.chunks);
    expect([0, 1, 2].map((i) => all[i * RECORD_BYTES + TOKEN_BYTES - 1])).toEqual([1, 2, 3]);
    expect([0, 1, 2].map((i) => all.readUInt32BE(i * RECORD_BYTES + TOKEN_BYTES))).toEqual([1, 2, 0]);
  });

  it('refuses a duplicated token on encoding', () => {
    expect(refusal(() => encodeManifest(entries([{ tokens: ['x'] }, { tokens: ['x'] }]))).problem).toBe(
      'DUPLICATE_TOKEN',
    );
  });

  it('names the chunk and the record of a duplicate, an unsorted record, a bad flag, a bad ordinal', () => {
    const { chunks } = encodeManifest(entries([{ tokens: ['a', 'b', 'c', 'd'] }]), 4);
    const chunk = Buffer.from(chunks[0]!);
    const dup = Buffer.from(chunk);
    chunk.copy(dup, 2 * RECORD_BYTES, RECORD_BYTES, 2 * RECORD_BYTES);
    expect(refusal(() => validateChunk(dup, 5, 1))).toMatchObject({
      problem: 'DUPLICATE_TOKEN',
      chunk: 5,
      position: 2,
    });
    const swapped = Buffer.concat([
      chunk.subarray(RECORD_BYTES, 2 * RECORD_BYTES),
      chunk.subarray(0, RECORD_BYTES),
    ]);
    expect(refusal(() => validateChunk(swapped, 0, 1))).toMatchObject({ problem: 'UNSORTED', position: 1 });
    const flagged = Buffer.from(chunk);
    flagged[3 * RECORD_BYTES + TOKEN_BYTES + 4] = 0x80;
    expect(refusal(() => validateChunk(flagged, 0, 1))).toMatchObject({ problem: 'FLAGS', position: 3 });
    expect(refusal(() => validateChunk(chunk, 0, 0))).toMatchObject({ problem: 'MEMBER_RANGE', position: 0 });
    expect(refusal(() => validateChunk(chunk.subarray(0, 40), 1, 1))).toMatchObject({
      problem: 'CHUNK_LENGTH',
      chunk: 1,
    });
    expect(refusal(() => validateChunk(Buffer.alloc(0), 1, 1)).problem).toBe('CHUNK_EMPTY');
  });

  it('refuses a duplicate across chunks, a wrong root, count or total, and a member without token', () => {
    const { chunks, total, members, root } = encodeManifest(
      entries([{ tokens: ['a', 'b'] }, { tokens: ['c'] }]),
      2,
    );
    expect(validateManifest(chunks, { chunkCount: 2, total, members, root }).length).toBe(3 * RECORD_BYTES);
    const repeated = [chunks[0]!, Buffer.from(chunks[0]!.subarray(RECORD_BYTES))];
    expect(refusal(() => validateManifest(repeated, { chunkCount: 2, total: 3, members }))).toMatchObject({
      problem: 'DUPLICATE_TOKEN',
      chunk: 1,
      position: 0,
    });
    expect(
      refusal(() =>
        validateManifest(chunks, { chunkCount: 2, total, members, root: manifestRoot([chunks[0]!]) }),
      ).problem,
    ).toBe('ROOT');
    expect(refusal(() => validateManifest(chunks, { chunkCount: 3, total, members })).problem).toBe(
      'CHUNK_COUNT',
    );
    expect(refusal(() => validateManifest(chunks, { chunkCount: 2, total: 4, members })).problem).toBe(
      'TOTAL',
    );
    expect(refusal(() => validateManifest(chunks, { chunkCount: 2, total, members: 3 })).problem).toBe(
      'MEMBER_MISSING',
    );
  });

  it('reads base64url subject tokens and refuses malformed ones', () => {
    const t = token('t').toString('base64url');
    expect(tokenBytes(t)).toEqual(token('t'));
    expect(refusal(() => tokenBytes('not a token')).problem).toBe('TOKEN');
    expect(refusal(() => tokenBytes(`${t.slice(0, 42)}!`)).problem).toBe('TOKEN');
  });
});

describe('overlap', () => {
  it('counts people, not tokens, and agrees with a Set computation', () => {
    const a = side([
      { tokens: ['mail:1', 'phone:1'], consent: true }, // in B by phone only
      { tokens: ['mail:2'], consent: true }, // in B, B did not consent
      { tokens: ['mail:3'] }, // A only
      { tokens: ['mail:4'], consent: true }, // in B, both consented
    ]);
    const b = side([
      { tokens: ['phone:1'], consent: true },
      { tokens: ['mail:2'] },
      { tokens: ['mail:4', 'phone:4'], consent: true },
      { tokens: ['mail:5'] },
      { tokens: ['mail:6'] },
    ]);
    const result = overlap(a.side, b.side);
    expect(result.counts).toEqual({ a: 4, b: 5, intersection: 3, union: 6, aOnly: 1, bOnly: 2 });
    expect(result.sharedTokens).toBe(3);
    expect(result.consented.map((c) => c.token).sort(Buffer.compare)).toEqual(
      [token('phone:1'), token('mail:4')].sort(Buffer.compare),
    );
    expect(new Set(result.consented.map((c) => c.person)).size).toBe(2);
  });

  it('links two members of one side that share the other side’s person', () => {
    const a = side([{ tokens: ['mail:1'] }, { tokens: ['phone:1'] }]);
    const b = side([{ tokens: ['mail:1', 'phone:1'] }]);
    expect(overlap(a.side, b.side).counts).toEqual({
      a: 1,
      b: 1,
      intersection: 1,
      union: 1,
      aOnly: 0,
      bOnly: 0,
    });
  });

  it('matches Set arithmetic on random manifests', () => {
    const people = (prefix: string, n: number, from: number) =>
      Array.from({ length: n }, (_, i) => ({ tokens: [`${prefix}${from + i}`] }));
    const a = side(people('p', 500, 0), 64);
    const b = side(people('p', 400, 300), 64);
    expect(overlap(a.side, b.side).counts).toEqual({
      a: 500,
      b: 400,
      intersection: 200,
      union: 700,
      aOnly: 300,
      bOnly: 200,
    });
  });
});

describe('breakdown by bucket', () => {
  it('counts each side’s people in its own buckets', () => {
    const encode = (people: { tokens: string[]; bucket: number }[]) => {
      const m = encodeManifest(
        people.flatMap((p, member) =>
          p.tokens.map((t) => ({ token: token(t), member, consent: false, bucket: p.bucket })),
        ),
        64,
        2,
      );
      return { records: validateManifest(m.chunks, { ...m, buckets: 2 }), members: m.members, buckets: 2 };
    };
    const a = encode([
      { tokens: ['x', 'x2'], bucket: 1 },
      { tokens: ['y'], bucket: 2 },
      { tokens: ['z'], bucket: 2 },
    ]);
    const b = encode([
      { tokens: ['x2'], bucket: 2 },
      { tokens: ['y'], bucket: 0 },
      { tokens: ['w'], bucket: 1 },
    ]);
    const { breakdown } = overlap(a, b);
    expect(breakdown!.a).toEqual([
      { count: 0, intersection: 0, only: 0 },
      { count: 1, intersection: 1, only: 0 },
      { count: 2, intersection: 1, only: 1 },
    ]);
    expect(breakdown!.b).toEqual([
      { count: 1, intersection: 1, only: 0 },
      { count: 1, intersection: 0, only: 1 },
      { count: 1, intersection: 1, only: 0 },
    ]);
    expect(
      refusal(() =>
        validateChunk(
          encodeManifest([{ token: token('q'), member: 0, consent: true, bucket: 3 }]).chunks[0]!,
          0,
          1,
          2,
        ),
      ).problem,
    ).toBe('FLAGS');
  });
});
