import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import {
  noteVerifier,
  openCheckpoint,
  openNote,
  parseVerifierKey,
  signCheckpoint,
  formatVerifierKey,
} from '../checkpoint.js';
import { generateSigningKeyPair, importPrivateJwk, jwkThumbprint } from '../keys.js';
import { signCompact, signJwt, verifyCompact } from '../jws.js';
import { inclusionProof, leafHash, merkleRoot, nodeHash, verifyInclusion } from '../merkle.js';
import { jsonVectorsUnder, readJsonVector } from '../testing/vectors.js';
import {
  jwkThumbprintWebCrypto,
  leafHashWebCrypto,
  merkleRootWebCrypto,
  nodeHashWebCrypto,
  openCheckpointWebCrypto,
  openNoteWebCrypto,
  parseVerifierKeyWebCrypto,
  toBase64,
  verifyCompactWebCrypto,
  verifyInclusionWebCrypto,
  verifyJwsWithKeysWebCrypto,
  verifyLedgerInclusionWebCrypto,
} from './index.js';

// Each WebCrypto check against its node:crypto twin: same bytes, same verdicts, same error codes.

const b64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? `crash: ${String(error)}`;
  }
}

async function codeOfAsync(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? `crash: ${String(error)}`;
  }
}

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  wantErr: boolean;
}

const rfc8037 = readJsonVector<{ privateJwk: { x: string; d: string }; thumbprint: string; jws: string }>(
  'rfc8037/ed25519.json.txt',
);
const goVector = readJsonVector<{ verifierKey: string; signedNote: string; text: string }>(
  'signed-note/go-sumdb-note.json.txt',
);

describe('WebCrypto Merkle checks', () => {
  it('hash leaves and nodes byte for byte as node:crypto', async () => {
    for (const size of [0, 1, 31, 32, 33, 1000]) {
      const entry = randomBytes(size);
      expect(await leafHashWebCrypto(entry)).toEqual(new Uint8Array(leafHash(entry)));
    }
    const [l, r] = [randomBytes(32), randomBytes(32)];
    expect(await nodeHashWebCrypto(l, r)).toEqual(new Uint8Array(nodeHash(l, r)));
  });

  it('compute the roots of MerkleFrontier for every size up to 40, and each prefix on the way', async () => {
    const leaves = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
    const prefixes: string[] = [];
    const root = await merkleRootWebCrypto(leaves, async (_size, rootNow) => {
      prefixes.push(toBase64(await rootNow()));
    });
    expect(root).toEqual(new Uint8Array(merkleRoot(leaves)));
    expect(prefixes).toEqual(leaves.map((_, i) => toBase64(merkleRoot(leaves.slice(0, i + 1)))));
    expect(await merkleRootWebCrypto([])).toEqual(new Uint8Array(merkleRoot([])));
  });

  describe.each(jsonVectorsUnder<InclusionVector>('merkle/inclusion'))('inclusion vector %s', (_path, v) => {
    it('gets the verdict of the node:crypto verifier and of the vector', async () => {
      const args = [b64(v.leafHash), v.leafIdx, v.treeSize, (v.proof ?? []).map(b64), b64(v.root)] as const;
      const web = await codeOfAsync(() => verifyInclusionWebCrypto(...args));
      expect(web).toBe(codeOf(() => verifyInclusion(...args)));
      expect(web === 'accepted').toBe(!v.wantErr);
    });
  });

  it('verify every proof of a 21-leaf tree, and refuse each one-bit change', async () => {
    const leaves = Array.from({ length: 21 }, (_, i) => leafHash(Buffer.from(`e${i}`)));
    const root = merkleRoot(leaves);
    for (let i = 0; i < leaves.length; i++) {
      const proof = inclusionProof(leaves, i, leaves.length);
      await verifyInclusionWebCrypto(leaves[i] as Uint8Array, i, leaves.length, proof, root);
      const bad = proof.map((hash) => new Uint8Array(hash));
      if (bad[0]) (bad[0] as Uint8Array)[5] ^= 1;
      const args = [leaves[i] as Uint8Array, i, leaves.length, bad, root] as const;
      expect(await codeOfAsync(() => verifyInclusionWebCrypto(...args))).toBe(
        codeOf(() => verifyInclusion(...args)),
      );
    }
  });
});

describe('WebCrypto EdDSA JWS', () => {
  const publicJwk = {
    kty: 'OKP' as const,
    crv: 'Ed25519' as const,
    x: rfc8037.privateJwk.x,
    kid: rfc8037.thumbprint,
  };

  it('verifies RFC 8037 A.4 and computes its A.3 thumbprint', async () => {
    const { payload } = await verifyCompactWebCrypto(rfc8037.jws, publicJwk);
    expect(new TextDecoder().decode(payload)).toBe('Example of Ed25519 signing');
    expect(await jwkThumbprintWebCrypto(publicJwk)).toBe(rfc8037.thumbprint);
    expect(await jwkThumbprintWebCrypto(publicJwk)).toBe(jwkThumbprint(publicJwk));
  });

  it('refuses what verifyCompact refuses, with the same codes', async () => {
    const other = generateSigningKeyPair();
    const [h, p, s] = rfc8037.jws.split('.') as [string, string, string];
    const flip = (text: string, at: number) =>
      text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const none = Buffer.from('{"alg":"none"}').toString('base64url');
    const hs = Buffer.from('{"alg":"HS256"}').toString('base64url');
    const crit = Buffer.from('{"alg":"EdDSA","crit":["x"]}').toString('base64url');
    const cases: [string, string, typeof publicJwk][] = [
      ['good', rfc8037.jws, publicJwk],
      ['payload changed', `${h}.${flip(p, 3)}.${s}`, publicJwk],
      ['signature changed', `${h}.${p}.${flip(s, 10)}`, publicJwk],
      ['short signature', `${h}.${p}.${s.slice(0, 40)}`, publicJwk],
      ['padded payload', `${h}.${p}=.${s}`, publicJwk],
      ['two parts', `${h}.${p}`, publicJwk],
      ['alg none', `${none}.${p}.${s}`, publicJwk],
      ['alg HS256', `${hs}.${p}.${s}`, publicJwk],
      ['crit', `${crit}.${p}.${s}`, publicJwk],
      ['other key', rfc8037.jws, other.publicJwk as typeof publicJwk],
    ];
    for (const [what, jws, key] of cases) {
      const web = await codeOfAsync(() => verifyCompactWebCrypto(jws, key));
      expect([what, web]).toEqual([what, codeOf(() => verifyCompact(jws, key))]);
    }
  });

  it('verifies signJwt messages by their kid in a key set', async () => {
    const pair = generateSigningKeyPair();
    const now = Math.floor(Date.now() / 1000);
    const jws = signJwt(
      'concordia-purge-receipt+jwt',
      { iss: 'p', iat: now, exp: now + 60, jti: 'j' },
      pair.privateJwk,
    );
    const { claims, header } = await verifyJwsWithKeysWebCrypto(jws, [pair.publicJwk as never]);
    expect(claims.jti).toBe('j');
    expect(header.kid).toBe(pair.kid);
    expect(await codeOfAsync(() => verifyJwsWithKeysWebCrypto(jws, []))).toBe('UNKNOWN_KEY');
    const signed = signCompact(
      { alg: 'EdDSA' },
      Buffer.from('x'),
      importPrivateJwk(rfc8037.privateJwk, 'Ed25519'),
    );
    expect(signed.split('.')[2]).toHaveLength(86);
  });
});

describe('WebCrypto C2SP notes and checkpoints', () => {
  it('open the Go sumdb/note example with its verifier key', async () => {
    const verifier = await parseVerifierKeyWebCrypto(goVector.verifierKey);
    expect(verifier).toEqual({ ...parseVerifierKey(goVector.verifierKey), publicJwk: verifier.publicJwk });
    expect(verifier.publicJwk.x).toBe(parseVerifierKey(goVector.verifierKey).publicJwk.x);
    expect((await openNoteWebCrypto(goVector.signedNote, [verifier])).text).toBe(goVector.text);
  });

  it('open checkpoints as openCheckpoint does, and refuse the same changes with the same codes', async () => {
    const log = generateSigningKeyPair();
    const origin = 'concordia.example/retailer/ledger';
    const leaves = ['a', 'b', 'c'].map((e) => leafHash(Buffer.from(e)));
    const note = signCheckpoint(
      { origin, size: 3, rootHash: merkleRoot(leaves) },
      { name: origin, privateJwk: log.privateJwk },
    );
    const nodeVerifier = noteVerifier(origin, log.publicJwk);
    const webVerifier = await parseVerifierKeyWebCrypto(formatVerifierKey(nodeVerifier));
    const opened = await openCheckpointWebCrypto(note, [webVerifier], { origin });
    expect(opened.checkpoint.rootHash).toEqual(new Uint8Array(merkleRoot(leaves)));
    expect(opened.checkpoint.size).toBe(3);
    const other = noteVerifier(origin, generateSigningKeyPair().publicJwk);
    const cases: [string, string, boolean][] = [
      ['good', note, true],
      ['size changed', note.replace('\n3\n', '\n4\n'), true],
      [
        'signature changed',
        note.replace(/(\u2014 \S+ )(.)/u, (_m, a: string, c: string) => a + (c === 'A' ? 'B' : 'A')),
        true,
      ],
      ['no signature', note.split('\n\n')[0] as string, true],
      ['unknown key', note, false],
    ];
    for (const [what, text, known] of cases) {
      const web = await codeOfAsync(() =>
        openCheckpointWebCrypto(
          text,
          known ? [webVerifier] : [{ ...other, publicJwk: other.publicJwk as never }],
          { origin },
        ),
      );
      expect([what, web]).toEqual([
        what,
        codeOf(() => openCheckpoint(text, known ? [nodeVerifier] : [other], { origin })),
      ]);
    }
    expect(await codeOfAsync(() => openCheckpointWebCrypto(note, [webVerifier], { origin: 'x' }))).toBe(
      codeOf(() => openNote(note, [nodeVerifier]) && openCheckpoint(note, [nodeVerifier], { origin: 'x' })),
    );
  });

  it('verify a ledger inclusion claim end to end, pinned to a trusted key, and name what fails', async () => {
    const log = generateSigningKeyPair();
    const origin = 'concordia.example/retailer/ledger';
    const entries = Array.from({ length: 13 }, (_, i) => JSON.stringify({ at: i, data: {}, kind: 'k' }));
    const leaves = entries.map((e) => leafHash(Buffer.from(e)));
    const note = signCheckpoint(
      { origin, size: 13, rootHash: merkleRoot(leaves) },
      { name: origin, privateJwk: log.privateJwk },
    );
    const verifierKey = formatVerifierKey(noteVerifier(origin, log.publicJwk));
    const claim = (seq: number) => ({
      entry: entries[seq] as string,
      seq,
      treeSize: 13,
      hashes: inclusionProof(leaves, seq, 13).map((h) => Buffer.from(h).toString('base64')),
      checkpointNote: note,
      verifierKey,
      origin,
    });
    const verified = await verifyLedgerInclusionWebCrypto(claim(7), { trustedKeys: [log.publicJwk] });
    expect(verified.root).toBe(Buffer.from(merkleRoot(leaves)).toString('base64'));
    expect(verified.leafHash).toBe(Buffer.from(leaves[7] as Uint8Array).toString('base64'));
    const tampered = { ...claim(7), entry: (entries[7] as string).replace('"k"', '"K"') };
    expect(await codeOfAsync(() => verifyLedgerInclusionWebCrypto(tampered))).toBe('PROOF_INVALID');
    const stranger = generateSigningKeyPair().publicJwk;
    expect(
      await codeOfAsync(() => verifyLedgerInclusionWebCrypto(claim(7), { trustedKeys: [stranger] })),
    ).toBe('UNKNOWN_KEY');
    expect(await codeOfAsync(() => verifyLedgerInclusionWebCrypto({ ...claim(7), treeSize: 12 }))).toBe(
      'OUT_OF_RANGE',
    );
  });
});
