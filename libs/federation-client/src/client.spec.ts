import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSigningKeyPair, jwksKeyResolver, signJwt, verifyJwt } from '#protocol';
import { FederationClient, FederationError, signRequestToken } from './client.js';
import { REQUEST_TYP, requestClaimsSchema } from './contract.js';
import { federationKeyResolver, federationKeyRetirements, keyUseRefusal } from './directory.js';

describe('federation client', () => {
  const key = generateSigningKeyPair();
  const seen: { method?: string; url?: string; authorization?: string; body: string }[] = [];
  let server: Server;
  let client: FederationClient;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body });
        res.setHeader('content-type', 'application/json');
        if (req.url?.startsWith('/federation/v1/consents/check')) {
          res.end(JSON.stringify({ live: true, consentIds: ['consent-0001'] }));
        } else {
          res.statusCode = 422;
          res.end(
            JSON.stringify({ error: { code: 'MESSAGE_REFUSED', message: 'no', reason: 'KEY_RETIRED' } }),
          );
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new FederationClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      federationId: 'test-net',
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('maps refusals to FederationError with code and reason', async () => {
    const error = await client.registerConsent('a.b.c').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FederationError);
    expect(error).toMatchObject({ status: 422, code: 'MESSAGE_REFUSED', reason: 'KEY_RETIRED' });
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: '/federation/v1/consents',
      body: '{"registration":"a.b.c"}',
    });
  });

  it('signs a request token bound to the method and path, verifiable by the federation', async () => {
    const signer = { partnerId: 'bob-shop', signingKey: key.privateJwk };
    const answer = await client.checkConsent(signer, {
      subjectToken: 'x'.repeat(43),
      recipient: 'bob-shop',
      purpose: 'customer-care',
      category: 'contact',
    });
    expect(answer).toEqual({ live: true, consentIds: ['consent-0001'] });
    const [scheme, token] = seen.at(-1)!.authorization!.split(' ');
    expect(scheme).toBe('Concordia');
    const { header, claims } = await verifyJwt(token!, jwksKeyResolver({ keys: [key.publicJwk] }), {
      typ: REQUEST_TYP,
      audience: 'test-net',
    });
    expect(header.kid).toBe(key.kid);
    expect(requestClaimsSchema.parse(claims)).toMatchObject({
      iss: 'bob-shop',
      htm: 'POST',
      htu: '/federation/v1/consents/check',
    });
  });

  it('refuses to make request tokens that live too long', () => {
    const token = signRequestToken(
      { partnerId: 'bob-shop', signingKey: key.privateJwk },
      'test-net',
      'GET',
      '/x',
      {
        ttlSeconds: 3600,
      },
    );
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(requestClaimsSchema.safeParse(claims).success).toBe(false);
  });

  it('applies the directory rule: suspension, term, retired keys', () => {
    const active = { status: 'active' as const, validUntil: 2000 };
    expect(keyUseRefusal(active, {}, 1000, 1000)).toBeUndefined();
    expect(keyUseRefusal({ ...active, status: 'suspended' }, {}, 1000, 1000)).toBe('MEMBER_SUSPENDED');
    expect(keyUseRefusal(active, {}, 1000, 2000)).toBe('STATEMENT_EXPIRED');
    expect(keyUseRefusal(active, { retiresAt: 1500 }, 1499, 1600)).toBeUndefined();
    expect(keyUseRefusal(active, { retiresAt: 1500 }, 1500, 1600)).toBe('KEY_RETIRED');
  });

  it("resolves the federation's keys, a retired one only for what it signed before retiring", async () => {
    const current = generateSigningKeyPair();
    const retired = generateSigningKeyPair();
    const keys = [
      { kid: current.kid, status: 'current' as const, createdAt: 1_000 },
      { kid: retired.kid, status: 'historical' as const, createdAt: 500, retiredAt: 1_500 },
    ];
    const retirements = federationKeyRetirements(keys);
    expect([...retirements]).toEqual([[retired.kid, 1_500]]);
    const resolveKey = federationKeyResolver({ keys: [current.publicJwk, retired.publicJwk] }, retirements);
    const signed = (signer: typeof current, iat: number) =>
      signJwt(
        'test+jwt',
        { iss: 'test-net', iat, exp: 9_999_999_999, jti: `m-${iat}-${signer.kid}` },
        signer.privateJwk,
      );
    const outcome = (jws: string) =>
      verifyJwt(jws, resolveKey, { typ: 'test+jwt', audience: null, issuer: 'test-net', now: 2_000 }).then(
        () => 'accepted',
        (error: { code?: string }) => error.code,
      );
    expect(await outcome(signed(retired, 1_499))).toBe('accepted');
    expect(await outcome(signed(retired, 1_500))).toBe('KEY_RETIRED');
    expect(await outcome(signed(retired, 1_900))).toBe('KEY_RETIRED');
    expect(await outcome(signed(current, 1_900))).toBe('accepted');
    // Unknown kids stay unknown (a node then refreshes its trust anchor once).
    expect(await outcome(signed(generateSigningKeyPair(), 1_900))).toBe('UNKNOWN_KEY');
  });
});
