import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  generateSigningKeyPair,
  jwksKeyResolver,
  libuvEd25519,
  signJwt,
  signMessage,
  signMessageOffThread,
  useEd25519OffThread,
  verifyJwt,
  verifyMessage,
} from '#protocol';
import { Ed25519Workers } from './ed25519-workers.js';

/**
 * The worker threads that sign and check a batch's Ed25519 (issue 17): node:crypto's bytes and
 * verdicts, call by call, however the calls are batched; a call that fails fails alone.
 */
const keys = Array.from({ length: 3 }, () => generateKeyPairSync('ed25519'));
const inputs = Array.from(
  { length: 700 },
  (_, i) => `eyJhbGciOiJFZERTQSJ9.${Buffer.from(`message ${i} `.repeat(1 + (i % 40))).toString('base64url')}`,
);
const keyOf = (i: number) => keys[i % keys.length]!;
/** Waits (10 s at most) until `done()`: a thread starts or ends when it does, not at a set time. */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > 10_000) throw new Error('waited 10 s in vain');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Ed25519 on worker threads', () => {
  const pool = new Ed25519Workers(2);

  it('signs what node:crypto signs, for calls made together and one by one', async () => {
    const together = await Promise.all(inputs.map((input, i) => pool.sign(input, keyOf(i).privateKey)));
    together.forEach((signature, i) =>
      expect(signature.equals(sign(null, Buffer.from(inputs[i]!, 'latin1'), keyOf(i).privateKey))).toBe(true),
    );
    for (const i of [0, 1, 2, 699]) {
      const alone = await pool.sign(inputs[i]!, keyOf(i).privateKey);
      expect(alone.equals(together[i]!)).toBe(true);
    }
  });

  it('checks as node:crypto checks: good signatures, altered inputs, other keys, odd lengths', async () => {
    const signatures = inputs.map((input, i) =>
      sign(null, Buffer.from(input, 'latin1'), keyOf(i).privateKey),
    );
    const cases = inputs.flatMap((input, i) => [
      { input, key: keyOf(i).publicKey, signature: signatures[i]!, expected: true },
      { input: `${input}x`, key: keyOf(i).publicKey, signature: signatures[i]!, expected: false },
      { input, key: keyOf(i + 1).publicKey, signature: signatures[i]!, expected: false },
    ]);
    // Lengths a forged JWS may carry (empty, short, long, past 65,535 bytes), among good ones.
    for (const length of [0, 10, 65, 70_000]) {
      cases.unshift({
        input: inputs[0]!,
        key: keyOf(0).publicKey,
        signature: Buffer.alloc(length, 7),
        expected: false,
      });
    }
    const verdicts = await Promise.all(cases.map((c) => pool.verify(c.input, c.key, c.signature)));
    expect(verdicts).toEqual(cases.map((c) => c.expected));
    // The same verdicts as the synchronous call.
    expect(cases.map((c) => verify(null, Buffer.from(c.input, 'latin1'), c.key, c.signature))).toEqual(
      cases.map((c) => c.expected),
    );
  });

  it('a call whose key cannot sign fails alone; the calls batched with it succeed', async () => {
    const x25519 = generateKeyPairSync('x25519');
    const calls = [
      pool.sign(inputs[0]!, keyOf(0).privateKey),
      pool.sign(inputs[1]!, x25519.privateKey),
      pool.sign(inputs[2]!, keyOf(2).privateKey),
    ];
    const [first, second, third] = await Promise.allSettled(calls);
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected' });
    expect(third.status).toBe('fulfilled');
    expect(
      (third as PromiseFulfilledResult<Buffer>).value.equals(
        sign(null, Buffer.from(inputs[2]!, 'latin1'), keyOf(2).privateKey),
      ),
    ).toBe(true);
  });
});

describe("libsodium in the workers, node:crypto's verdicts", () => {
  const pool = new Ed25519Workers(2);
  /** The group order L, little-endian: S + L is the same scalar, encoded out of range. */
  const L = Buffer.from('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'hex');
  const addL = (s: Buffer): Buffer => {
    const out = Buffer.alloc(32);
    let carry = 0;
    for (let i = 0; i < 32; i++) {
      const sum = s[i]! + L[i]! + carry;
      out[i] = sum & 0xff;
      carry = sum >> 8;
    }
    return out;
  };
  const publicKeyOf = (x: Buffer) =>
    createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: x.toString('base64url') }, format: 'jwk' });

  // A first call starts a worker (and is answered by libuv's threadpool meanwhile): the calls
  // below are the worker's.
  beforeAll(() => pool.sign(inputs[0]!, keyOf(0).privateKey));

  it('computes with libsodium here (its binary loads on this platform)', async () => {
    expect(pool.engine).toBe('libsodium');
    await until(() => pool.readyThreads === 1);
  });

  it("gives node:crypto's verdict where libsodium is stricter: S out of range, a small-order key", async () => {
    const input = inputs[3]!;
    const good = sign(null, Buffer.from(input, 'latin1'), keyOf(3).privateKey);
    // The identity point as a key, with R = identity and S = 0: the equation holds for any
    // message, so OpenSSL accepts it; libsodium refuses small-order keys. The pool answers as
    // node:crypto does, whatever that is.
    const identity = Buffer.concat([Buffer.from([1]), Buffer.alloc(31)]);
    const cases = [
      { key: keyOf(3).publicKey, signature: good },
      { key: keyOf(3).publicKey, signature: Buffer.concat([good.subarray(0, 32), addL(good.subarray(32))]) },
      { key: publicKeyOf(identity), signature: Buffer.concat([identity, Buffer.alloc(32)]) },
      ...Array.from({ length: 64 }, (_, byte) => {
        const flipped = Buffer.from(good);
        flipped[byte] = flipped[byte]! ^ (1 << (byte % 8));
        return { key: keyOf(3).publicKey, signature: flipped };
      }),
    ];
    const verdicts = await Promise.all(cases.map((c) => pool.verify(input, c.key, c.signature)));
    const expected = cases.map((c) => verify(null, Buffer.from(input, 'latin1'), c.key, c.signature));
    expect(verdicts).toEqual(expected);
    expect(expected.slice(0, 3)).toEqual([true, false, true]);
    expect(expected.slice(3).every((v) => !v)).toBe(true);
  });

  it('signs with keys of every origin as node:crypto does (random seeds, imported JWKs)', async () => {
    const many = Array.from({ length: 50 }, () => generateKeyPairSync('ed25519').privateKey);
    const signed = await Promise.all(many.map((key, i) => pool.sign(inputs[i]!, key)));
    signed.forEach((signature, i) =>
      expect(signature.equals(sign(null, Buffer.from(inputs[i]!, 'latin1'), many[i]!))).toBe(true),
    );
  });
});

describe('the pool of Ed25519 workers', () => {
  it('answers the calls made while no worker is ready on the threadpool, and starts one', async () => {
    const pool = new Ed25519Workers(1, 1000);
    const expected = sign(null, Buffer.from(inputs[7]!, 'latin1'), keyOf(7).privateKey);
    expect((await pool.sign(inputs[7]!, keyOf(7).privateKey)).equals(expected)).toBe(true);
    expect(pool.threadpoolCalls).toBe(1);
    // A worker starts a moment later; once it is ready, the calls are its own.
    await until(() => pool.readyThreads === 1);
    expect((await pool.sign(inputs[7]!, keyOf(7).privateKey)).equals(expected)).toBe(true);
    expect(await pool.verify(inputs[7]!, keyOf(7).publicKey, expected)).toBe(true);
    expect(pool.threadpoolCalls).toBe(1);
    // Ended idle, the pool answers the next call the same way.
    await until(() => pool.threads === 0);
    expect(await pool.verify(inputs[7]!, keyOf(7).publicKey, expected)).toBe(true);
    expect(pool.threadpoolCalls).toBe(2);
    await until(() => pool.readyThreads === 1);
    // A batch made in one turn waits for the worker instead.
    const cold = new Ed25519Workers(1, 100);
    const many = await Promise.all(
      inputs.slice(0, 200).map((input, i) => cold.sign(input, keyOf(i).privateKey)),
    );
    many.forEach((signature, i) =>
      expect(signature.equals(sign(null, Buffer.from(inputs[i]!, 'latin1'), keyOf(i).privateKey))).toBe(true),
    );
    expect([cold.threadpoolCalls, cold.threads]).toEqual([0, 1]);
  });

  it('starts threads when asked, up to its size, ends them when idle, and starts again', async () => {
    const pool = new Ed25519Workers(2, 100);
    expect(pool.threads).toBe(0);
    await Promise.all(inputs.map((input, i) => pool.sign(input, keyOf(i).privateKey)));
    expect(pool.threads).toBe(2);
    await until(() => pool.threads === 0);
    const again = await pool.sign(inputs[5]!, keyOf(5).privateKey);
    expect(again.equals(sign(null, Buffer.from(inputs[5]!, 'latin1'), keyOf(5).privateKey))).toBe(true);
    await until(() => pool.threads === 1);
  });
});

describe('JWS and messages with the workers installed', () => {
  const alice = generateSigningKeyPair();
  const mallory = generateSigningKeyPair();
  const resolver = jwksKeyResolver({ keys: [alice.publicJwk] });
  const now = 1_760_000_000;
  const claims = {
    iss: 'alice-shop',
    aud: 'federation',
    iat: now,
    exp: now + 300,
    jti: '0a4f7a52-6a4e-4b1a-9f1b-3f2d7f9c1e20',
  };

  beforeAll(() => useEd25519OffThread(new Ed25519Workers(2)));
  afterAll(() => useEd25519OffThread(libuvEd25519));

  it('verifyJwt off the thread accepts what is signed, refuses another key and an altered signature', async () => {
    const jws = signJwt('test+jwt', claims, alice.privateJwk);
    const expectations = { typ: 'test+jwt', audience: 'federation', now, offThread: true };
    await expect(verifyJwt(jws, resolver, expectations)).resolves.toMatchObject({
      claims: { jti: claims.jti },
    });
    const forged = signJwt('test+jwt', claims, { ...mallory.privateJwk, kid: alice.privateJwk.kid });
    const [header, payload, signature] = jws.split('.') as [string, string, string];
    const flipped = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    for (const bad of [forged, flipped]) {
      await expect(verifyJwt(bad, resolver, expectations)).rejects.toMatchObject({
        code: 'SIGNATURE_INVALID',
      });
    }
  });

  it('signMessageOffThread gives the bytes signMessage gives, many at once', async () => {
    const input = {
      iss: 'alice-shop',
      aud: 'federation',
      iat: now,
      exp: now + 365 * 86_400,
      registrationId: 'registration-0001',
      controller: 'alice-shop',
      recipient: 'bob-bank',
      agreementId: 'agreement-0001',
      subjectTokens: [{ kind: 'email', token: 'x'.repeat(43), keyId: 'agreement-0001' }],
      purposes: ['customer-care'],
      categories: ['contact', 'care-history'],
      validFrom: now,
      validUntil: now + 365 * 86_400,
      receiptCommitment: 'y'.repeat(43),
    };
    const many = Array.from({ length: 300 }, (_, i) => ({
      ...input,
      registrationId: `registration-${i}`,
      jti: `7b0c7c42-31a4-4f32-9d5e-${String(i).padStart(12, '0')}`,
    }));
    const offThread = await Promise.all(
      many.map((m) => signMessageOffThread('consent-registration', m as never, alice.privateJwk)),
    );
    expect(offThread).toEqual(
      many.map((m) => signMessage('consent-registration', m as never, alice.privateJwk)),
    );
    const verified = await Promise.all(
      offThread.map((jws) =>
        verifyMessage('consent-registration', jws, resolver, { audience: null, now, offThread: true }),
      ),
    );
    expect(verified.map((v) => v.claims.jti)).toEqual(many.map((m) => m.jti));
  });
});
