import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateSigningKeyPair, signJwt, type Ed25519PrivateJwk } from '#protocol';
import { signCanonicalJwt } from '../../libs/protocol/src/jws.js';
import {
  NODE_PATHS,
  RELAY_AUTHORIZATION_SCHEME,
  RELAY_PATHS,
  RELAY_TOKEN_TYP,
  bodyHash,
  RELAY_CONTENT_TYPE,
  signRequestToken,
} from '#federation-client';
import { FederationKeysService } from '../../apps/federation/src/keys/federation-keys.service.js';
import {
  SimulatedPartner,
  startTestFederation,
  type TestFederation,
} from '../../apps/federation/src/testing/test-federation.js';
import { joinNetwork, startPartners } from '../../apps/partner-node/src/testing/network.js';
import type { TestNode } from '../../apps/partner-node/src/testing/test-node.js';
import {
  answerOf,
  graphql,
  post,
  refusalRows,
  runCase,
  TableCounts,
  type AbuseCase,
  type Answer,
} from './abuse-case.js';

/**
 * The abuse corpus against the protocol endpoints: the federation's (signed messages, request
 * tokens, the relay) and a partner node's (relay tokens). Forged, replayed, expired, mis-addressed
 * and mistyped messages are refused and recorded one by one; anonymous floods are refused and
 * recorded aggregated (one row per kind, reason, route and minute, with a count).
 */
let fed: TestFederation;
let node: TestNode;
let fedCounts: TableCounts;
let nodeCounts: TableCounts;
let federationKey: Ed25519PrivateJwk;
const alice = new SimulatedPartner('alice-bank');
const mallory = generateSigningKeyPair();
const FIVE_MB = 'x'.repeat(5 * 1024 * 1024);
const now = () => Math.floor(Date.now() / 1000);

// --- the federation: request tokens and signed messages ------------------------------------------

const relayUrl = (path: string) => `${fed.url}${path}`;
const requestToken = (
  options: { path?: string; now?: number; key?: Ed25519PrivateJwk; audience?: string } = {},
) =>
  signRequestToken(
    { partnerId: alice.id, signingKey: options.key ?? alice.key.privateJwk },
    options.audience ?? 'test-net',
    'POST',
    options.path ?? RELAY_PATHS.consentStatus,
    options.now === undefined ? {} : { now: options.now },
  );
const consentStatus = (
  authorization: string | undefined,
  body: string | object = { consentIds: ['consent-00000001'], agreementId: 'agreement-1' },
  type = RELAY_CONTENT_TYPE,
) =>
  post(relayUrl(RELAY_PATHS.consentStatus), body, {
    'content-type': type,
    ...(authorization ? { authorization } : {}),
  });
const concordia = (token: string) => `Concordia ${token}`;

/** A JWS whose payload is replaced by another one, its signature kept (a forgery under a known kid). */
function swapPayload(jws: string, patch: Record<string, unknown>): string {
  const [header, payload, signature] = jws.split('.');
  const claims = { ...(JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as object), ...patch };
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

const consent = (claims: Record<string, unknown> = {}) =>
  alice.sign(
    'consent-registration',
    alice.consentClaims({
      subjectTokens: [{ kind: 'email', token: 'A'.repeat(43), keyId: 'agreement-key-1' }],
      ...claims,
    }) as never,
  );
const registerConsent = (registration: unknown, type = 'application/json') =>
  post(
    `${fed.url}/federation/v1/consents`,
    typeof registration === 'string' ? { registration } : (registration as object),
    {
      'content-type': type,
    },
  );

// --- a partner node: relay tokens of the federation ------------------------------------------------

interface RelayOptions {
  path?: string;
  body?: unknown;
  aud?: string;
  exp?: number;
  typ?: string;
  key?: Ed25519PrivateJwk;
  jti?: string;
}
const withdrawalBody = { withdrawal: 'not-a-jws' };
function relayToken(options: RelayOptions = {}): string {
  const iat = now();
  return signJwt(
    options.typ ?? RELAY_TOKEN_TYP,
    {
      iss: 'test-net',
      aud: options.aud ?? node.config.partnerId,
      iat,
      exp: options.exp ?? iat + 60,
      jti: options.jti ?? randomUUID(),
      htm: 'POST',
      htu: options.path ?? NODE_PATHS.withdrawals,
      bodyHash: bodyHash(options.body ?? withdrawalBody),
      from: alice.id,
    },
    options.key ?? federationKey,
  );
}
const relayHeader = (token: string) => `${RELAY_AUTHORIZATION_SCHEME} ${token}`;
const toNode = (
  authorization: string | undefined,
  body: string | Uint8Array | object = withdrawalBody,
  type = RELAY_CONTENT_TYPE,
  path: string = NODE_PATHS.withdrawals,
) =>
  post(`${node.url}/concordia${path}`, body, {
    'content-type': type,
    ...(authorization ? { authorization } : {}),
  });

/** A request whose Content-Length announces more than the route accepts; nothing more is sent. */
function announcedBody(url: string, headers: Record<string, string>, length: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(length) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve(answerOf(new Response(text, { status: res.statusCode ?? 0 })));
          req.destroy();
        });
      },
    );
    req.on('error', reject);
    req.write('{"withdrawal":');
  });
}

async function flood(times: number, send: () => Promise<Answer>): Promise<Answer> {
  let last: Answer | undefined;
  for (let i = 0; i < times; i++) last = await send();
  return last!;
}

const aggregated = (target: () => string, reason: string, atLeast: number) => async () => {
  const rows = await refusalRows(target(), reason);
  const windowed = rows.filter((r) => r.window_start !== null);
  expect(rows.length).toBe(windowed.length); // anonymous refusals are never single rows
  expect(windowed.length).toBeGreaterThanOrEqual(1);
  expect(windowed.reduce((sum, r) => sum + r.count, 0)).toBeGreaterThanOrEqual(atLeast);
};
const recordedOneByOne = (target: () => string, reason: string) => async () => {
  const rows = await refusalRows(target(), reason);
  expect(rows.length).toBeGreaterThanOrEqual(1);
  expect(rows.every((r) => r.window_start === null && r.count === 1)).toBe(true);
};
const fedDb = () => fed.db.url;
const nodeDb = () => node.db.url;
const REFUSALS = ['refusal'];

const federationCases: AbuseCase[] = [
  {
    name: 'federation relay: no credentials, 5 MB body → refused before the body is read',
    send: () => consentStatus(undefined, FIVE_MB),
    code: 'UNAUTHENTICATED',
    status: 401,
    mayChange: REFUSALS,
  },
  {
    name: 'federation relay: no credentials, 1 MB application/json → refused, not parsed',
    send: () => consentStatus(undefined, `{"a":"${'x'.repeat(1024 * 1024)}"}`, 'application/json'),
    code: 'UNAUTHENTICATED',
    status: 401,
    mayChange: REFUSALS,
  },
  {
    name: 'federation relay: unauthenticated flood is recorded aggregated',
    send: () => flood(40, () => consentStatus(undefined)),
    code: 'UNAUTHENTICATED',
    status: 401,
    mayChange: REFUSALS,
    check: aggregated(fedDb, 'MISSING_CREDENTIALS', 41),
  },
  {
    name: 'federation relay: a token that is not a JWS',
    send: () => flood(5, () => consentStatus('Concordia not.a.token')),
    code: 'UNAUTHENTICATED',
    status: 401,
    mayChange: REFUSALS,
    check: aggregated(fedDb, 'MALFORMED', 5),
  },
  {
    name: 'federation relay: a token under a key no member holds',
    send: () => consentStatus(concordia(requestToken({ key: mallory.privateJwk }))),
    code: 'UNAUTHENTICATED',
    status: 401,
    mayChange: REFUSALS,
    check: aggregated(fedDb, 'UNKNOWN_KEY', 1),
  },
  {
    name: 'federation relay: a forged token (claims changed, signature kept)',
    send: () => consentStatus(concordia(swapPayload(requestToken(), { htu: RELAY_PATHS.envelopes }))),
    code: 'UNAUTHENTICATED',
    status: 401,
    mayChange: REFUSALS,
    check: recordedOneByOne(fedDb, 'SIGNATURE_INVALID'),
  },
  {
    name: 'federation relay: an expired token',
    send: () => consentStatus(concordia(requestToken({ now: now() - 3600 }))),
    code: 'UNAUTHENTICATED',
    status: 401,
    mayChange: REFUSALS,
    check: recordedOneByOne(fedDb, 'EXPIRED'),
  },
  {
    name: 'federation relay: a token for another federation',
    send: () => consentStatus(concordia(requestToken({ audience: 'other-net' }))),
    code: 'UNAUTHENTICATED',
    status: 401,
    mayChange: REFUSALS,
    check: recordedOneByOne(fedDb, 'WRONG_AUDIENCE'),
  },
  {
    name: 'federation relay: a token of the wrong type',
    send: () =>
      consentStatus(
        concordia(
          signJwt(
            RELAY_TOKEN_TYP,
            { iss: alice.id, aud: 'test-net', iat: now(), exp: now() + 60, jti: randomUUID() },
            alice.key.privateJwk,
          ),
        ),
      ),
    code: 'UNAUTHENTICATED',
    status: 401,
    mayChange: REFUSALS,
    check: recordedOneByOne(fedDb, 'WRONG_TYPE'),
  },
  {
    name: 'federation relay: a token bound to another route',
    send: () => consentStatus(concordia(requestToken({ path: RELAY_PATHS.envelopes }))),
    code: 'UNAUTHENTICATED',
    status: 401,
    mayChange: REFUSALS,
    check: recordedOneByOne(fedDb, 'REQUEST_MISMATCH'),
  },
  {
    name: 'federation relay: a replayed token',
    send: async () => {
      const token = concordia(requestToken());
      await consentStatus(token, { not: 'a valid body' });
      return consentStatus(token);
    },
    code: 'UNAUTHENTICATED',
    status: 401,
    mayChange: [...REFUSALS, 'received_message'],
    check: recordedOneByOne(fedDb, 'REPLAYED'),
  },
  {
    name: 'federation relay: a valid token, text/plain body → 415',
    send: () => consentStatus(concordia(requestToken()), '{}', 'text/plain'),
    code: 'UNSUPPORTED_MEDIA_TYPE',
    status: 415,
    mayChange: ['received_message'],
  },
  {
    name: 'federation relay: a valid token, invalid UTF-8 body',
    send: () => consentStatus(concordia(requestToken()), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
    code: 'BAD_USER_INPUT',
    status: 400,
    mayChange: ['received_message'],
  },
  {
    name: 'federation relay: a valid token, unknown body keys',
    send: () =>
      consentStatus(concordia(requestToken()), {
        consentIds: ['consent-00000001'],
        agreementId: 'agreement-1',
        __proto__x: 1,
      }),
    code: 'BAD_USER_INPUT',
    status: 400,
    mayChange: ['received_message'],
  },
  {
    name: 'federation consents: a forged registration (claims changed, signature kept)',
    send: () => registerConsent(swapPayload(consent(), { recipient: 'mallory-corp' })),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
    check: recordedOneByOne(fedDb, 'SIGNATURE_INVALID'),
  },
  {
    name: 'federation consents: an expired registration',
    send: () => registerConsent(consent({ iat: now() - 7200, exp: now() - 3600 })),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
    check: recordedOneByOne(fedDb, 'EXPIRED'),
  },
  {
    name: 'federation consents: a registration for another federation',
    send: () => registerConsent(consent({ aud: 'other-net' })),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
    check: recordedOneByOne(fedDb, 'WRONG_AUDIENCE'),
  },
  {
    name: 'federation consents: a message of another kind',
    send: () => registerConsent(alice.application()),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
    check: recordedOneByOne(fedDb, 'WRONG_TYPE'),
  },
  {
    name: 'federation consents: non-canonical JSON under a valid signature',
    send: () => {
      const [header, payload] = consent().split('.');
      const typ = (JSON.parse(Buffer.from(header!, 'base64url').toString('utf8')) as { typ: string }).typ;
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      const reordered = JSON.stringify(Object.fromEntries(Object.entries(claims).reverse()), null, 1);
      return registerConsent(signCanonicalJwt(typ, reordered, alice.key.privateJwk));
    },
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
    check: recordedOneByOne(fedDb, 'NOT_CANONICAL'),
  },
  {
    name: 'federation consents: a registration under an unknown key',
    send: () =>
      registerConsent(
        alice.sign(
          'consent-registration',
          alice.consentClaims({
            subjectTokens: [{ kind: 'email', token: 'B'.repeat(43), keyId: 'agreement-key-1' }],
          }) as never,
          mallory,
        ),
      ),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
    check: aggregated(fedDb, 'UNKNOWN_KEY', 1),
  },
  {
    name: 'federation consents: a registration that is not a string',
    send: () => registerConsent({ registration: { alg: 'none' } }),
    code: 'BAD_USER_INPUT',
    status: 400,
  },
  {
    name: 'federation consents: NUL inside the registration',
    send: () => registerConsent('eyJ\u0000.x.y'),
    code: 'BAD_USER_INPUT',
    status: 400,
  },
  {
    name: 'federation consents: __proto__ in the body',
    send: () =>
      post(`${fed.url}/federation/v1/consents`, `{"registration":"a.b.c","__proto__":{"admin":true}}`),
    code: 'BAD_USER_INPUT',
    status: 400,
  },
  {
    name: 'federation consents: 200 kB body → 413',
    send: () => registerConsent({ registration: 'x'.repeat(200_000) }),
    code: 'PAYLOAD_TOO_LARGE',
    status: 413,
  },
  {
    // The batch route takes 1 MB (500 registrations of about 1 kB), not more.
    name: 'federation consent batch: 2 MB body → 413',
    send: () =>
      post(
        `${fed.url}/federation/v1/consents/batch`,
        JSON.stringify({ registrations: ['x'.repeat(2_000_000)] }),
      ),
    code: 'PAYLOAD_TOO_LARGE',
    status: 413,
  },
  {
    name: 'federation consents: body that is not JSON',
    send: () => post(`${fed.url}/federation/v1/consents`, '{"registration": "a.b.c"'),
    code: 'BAD_USER_INPUT',
    status: 400,
  },
  {
    name: 'federation applications: invalid UTF-8 bytes',
    send: () =>
      post(
        `${fed.url}/federation/v1/applications`,
        Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]),
      ),
    code: 'BAD_USER_INPUT',
    status: 400,
  },
  {
    name: 'federation graphql: anonymous operator query',
    send: () => graphql(fed.url, '{ members { nodes { partnerId } } }'),
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'federation graphql: an unknown field',
    send: () => graphql(fed.url, '{ members { nodes { partnerId passwordHash } } }', {}, fed.operatorToken),
    code: 'GRAPHQL_VALIDATION_FAILED',
    status: 400,
  },
  {
    name: 'federation graphql: 21 aliases of one field',
    send: () =>
      graphql(
        fed.url,
        `{ ${Array.from({ length: 21 }, (_, i) => `a${i}: members { nodes { partnerId } }`).join(' ')} }`,
        {},
        fed.operatorToken,
      ),
    code: 'QUERY_TOO_COMPLEX',
    status: 400,
  },
  {
    name: 'federation graphql: 2 MB variables → 413',
    send: () => graphql(fed.url, 'query($x: String) { __typename }', { x: 'x'.repeat(2_000_000) }),
    code: 'PAYLOAD_TOO_LARGE',
    status: 413,
  },
  {
    name: 'federation graphql: impossible date',
    send: () =>
      graphql(
        fed.url,
        'mutation($id: ID!, $until: DateTime) { approveApplication(applicationId: $id, validUntil: $until) { partnerId } }',
        { id: randomUUID(), until: '2026-02-30T00:00:00Z' },
        fed.operatorToken,
      ),
    code: 'BAD_USER_INPUT',
    status: 400,
  },
];

const nodeCases: AbuseCase[] = [
  {
    name: 'node protocol: no credentials, 5 MB body → refused before the body is read',
    send: () => toNode(undefined, FIVE_MB),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
    check: aggregated(nodeDb, 'MISSING_CREDENTIALS', 1),
  },
  {
    name: 'node protocol: no credentials, 1 MB application/json → refused, not parsed',
    send: () => toNode(undefined, `{"withdrawal":"${'x'.repeat(1024 * 1024)}"}`, 'application/json'),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
  },
  {
    name: 'node protocol: unauthenticated flood is recorded aggregated',
    send: () => flood(40, () => toNode(undefined)),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
    check: aggregated(nodeDb, 'MISSING_CREDENTIALS', 42),
  },
  {
    name: 'node protocol: a token that is not a JWS',
    send: () => flood(5, () => toNode(relayHeader('garbage'))),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
    check: aggregated(nodeDb, 'MALFORMED', 5),
  },
  {
    name: 'node protocol: a relay token under a key the federation does not hold',
    send: () => toNode(relayHeader(relayToken({ key: mallory.privateJwk }))),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
    check: aggregated(nodeDb, 'UNKNOWN_KEY', 1),
  },
  {
    name: 'node protocol: a forged relay token (claims changed, signature kept)',
    send: () => toNode(relayHeader(swapPayload(relayToken(), { from: 'mallory-corp' }))),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
    check: recordedOneByOne(nodeDb, 'SIGNATURE_INVALID'),
  },
  {
    name: 'node protocol: a relay token for another node',
    send: () => toNode(relayHeader(relayToken({ aud: 'someone-else' }))),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
    check: recordedOneByOne(nodeDb, 'WRONG_AUDIENCE'),
  },
  {
    name: 'node protocol: an expired relay token',
    send: () => toNode(relayHeader(relayToken({ exp: now() - 600 }))),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
    check: recordedOneByOne(nodeDb, 'EXPIRED'),
  },
  {
    name: 'node protocol: a token of the wrong type',
    send: () => toNode(relayHeader(relayToken({ typ: 'concordia-request+jwt' }))),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
    check: recordedOneByOne(nodeDb, 'WRONG_TYPE'),
  },
  {
    name: 'node protocol: a token bound to another path',
    send: () => toNode(relayHeader(relayToken({ path: NODE_PATHS.envelopes }))),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
    check: recordedOneByOne(nodeDb, 'REQUEST_MISMATCH'),
  },
  {
    name: 'node protocol: a token bound to another body',
    send: () => toNode(relayHeader(relayToken({ body: { withdrawal: 'another' } }))),
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: REFUSALS,
  },
  {
    name: 'node protocol: a replayed relay token',
    send: async () => {
      const token = relayHeader(relayToken());
      await toNode(token);
      return toNode(token);
    },
    code: 'MESSAGE_REFUSED',
    status: 422,
    mayChange: [...REFUSALS, 'received_envelope'],
    check: recordedOneByOne(nodeDb, 'REPLAYED'),
  },
  {
    name: 'node protocol: a valid token, text/plain body → 415',
    send: () => toNode(relayHeader(relayToken()), JSON.stringify(withdrawalBody), 'text/plain'),
    code: 'UNSUPPORTED_MEDIA_TYPE',
    status: 415,
  },
  {
    name: 'node protocol: a valid token, 70 MB announced → 413',
    send: () =>
      announcedBody(
        `${node.url}/concordia${NODE_PATHS.withdrawals}`,
        { 'content-type': RELAY_CONTENT_TYPE, authorization: relayHeader(relayToken()) },
        70 * 1024 * 1024,
      ),
    code: 'PAYLOAD_TOO_LARGE',
    status: 413,
  },
  {
    name: 'node protocol: a valid token, invalid UTF-8 body',
    send: () => toNode(relayHeader(relayToken()), Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])),
    code: 'BAD_USER_INPUT',
    status: 400,
  },
  {
    name: 'node protocol: a valid token, not JSON',
    send: () => toNode(relayHeader(relayToken()), '{"withdrawal":'),
    code: 'BAD_USER_INPUT',
    status: 400,
  },
  {
    name: 'node protocol: a valid token, unknown body keys',
    send: () => {
      const body = { ...withdrawalBody, extra: true };
      return toNode(relayHeader(relayToken({ body })), body);
    },
    code: 'BAD_USER_INPUT',
    status: 400,
  },
  {
    name: 'node protocol: a valid token, JSON nested 10,000 deep',
    send: () => toNode(relayHeader(relayToken()), `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`),
    code: 'BAD_USER_INPUT',
    status: 400,
  },
  {
    name: 'node protocol: a valid token, a history request under an unknown agreement (NUL in its id)',
    send: () => {
      const body = {
        requestId: 'r\u0000',
        requester: alice.id,
        agreementId: 'agreement-1',
        subjectTokens: ['A'.repeat(43)],
        categories: ['orders'],
      };
      return toNode(
        relayHeader(relayToken({ path: NODE_PATHS.historyRequests, body })),
        body,
        RELAY_CONTENT_TYPE,
        NODE_PATHS.historyRequests,
      );
    },
    code: 'MESSAGE_REFUSED',
    mayChange: [...REFUSALS, 'received_envelope'],
  },
];

describe('abuse corpus: protocol endpoints of the federation and a node', () => {
  beforeAll(async () => {
    fed = await startTestFederation('abuse_protocol_fed');
    await fed.approve((await fed.client.apply(alice.application())).applicationId);
    const nodes = await startPartners('abuse_protocol', fed.url, { carol: 'carol-store' });
    node = nodes.carol;
    await joinNetwork(fed, nodes);
    federationKey = await fed.app.get(FederationKeysService).signingKey();
    fedCounts = new TableCounts(fed.db.url);
    nodeCounts = new TableCounts(node.db.url);
  });

  afterAll(async () => {
    await fedCounts?.close();
    await nodeCounts?.close();
    await node?.close();
    await fed?.close();
  });

  it.each(federationCases)('$name', (testCase) => runCase(testCase, fedCounts));
  it.each(nodeCases)('$name', (testCase) => runCase(testCase, nodeCounts));
});
