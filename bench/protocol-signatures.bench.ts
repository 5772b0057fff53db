/**
 * Signatures issued and verified per second through the protocol library (signMessage +
 * verifyMessage of a typical consent receipt: canonical JSON, zod validation, typ/kid/claims
 * checks) against raw node:crypto Ed25519 sign + verify of the same canonical bytes, in the same
 * run. Goal: the library keeps ≥ 80 % of raw throughput. An extra line measures jose's own
 * CompactSign + compactVerify (Web Crypto) on the same header and canonical payload.
 *
 * Rates are per second of this process's CPU time (user + system), measured in interleaved rounds,
 * so that other processes on a shared machine do not move one side more than the other; wall-clock
 * rates are printed alongside.
 *
 *   npm run build && node dist/bench/protocol-signatures.bench.js [seconds per round]
 */
import { createPrivateKey, createPublicKey, sign, verify, type JsonWebKey } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CompactSign, compactVerify, importJWK } from 'jose';
import {
  canonicalBytes,
  createShareBatch,
  generateSigningKeyPair,
  verifyBatchedRecord,
  type ShareRecord,
  jwksKeyResolver,
  signMessage,
  subjectToken,
  verifyMessage,
  type MessageInput,
} from '../libs/protocol/src/index.js';

const ROUNDS = 5;
const SECONDS_PER_ROUND = Number(process.argv[2] ?? 1);
const NOW = Math.floor(Date.now() / 1000);

const alice = generateSigningKeyPair();
const resolver = jwksKeyResolver({ keys: [alice.publicJwk] });
const tokenKey = Buffer.alloc(32, 1);

const consent: MessageInput<'consent'> = {
  iss: 'alice-bank',
  aud: 'federation',
  iat: NOW,
  exp: NOW + 365 * 86_400,
  jti: '5b1f7c1e-8d7a-4c55-9a8e-0c1c2f3b4d5e',
  consentId: 'consent-2025-000123',
  subjectTokens: [
    {
      kind: 'email',
      token: subjectToken(tokenKey, 'email', 'jane.doe@example.com'),
      keyId: 'agreement-0001',
    },
    { kind: 'phone', token: subjectToken(tokenKey, 'phone', '+33 6 12 34 56 78'), keyId: 'agreement-0001' },
  ],
  controller: 'alice-bank',
  purposes: ['customer-care', 'marketing'],
  categories: ['contact', 'orders', 'care-history'],
  recipients: ['bob-shop', 'carol-store'],
  givenAt: NOW - 60,
  validFrom: NOW,
  validUntil: NOW + 365 * 86_400,
  collectionMethod: 'web_form',
  notice: {
    id: 'privacy-notice',
    version: '2025-06',
    contentHash: 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg',
  },
  jurisdiction: 'FR',
  language: 'fr-FR',
};

// Raw baseline: the same canonical bytes, KeyObjects made once (as the library caches them).
const bytes = canonicalBytes(consent);
const privateKey = createPrivateKey({ key: alice.privateJwk as unknown as JsonWebKey, format: 'jwk' });
const publicKey = createPublicKey({ key: alice.publicJwk as unknown as JsonWebKey, format: 'jwk' });

function rawPair(): void {
  const signature = sign(null, bytes, privateKey);
  if (!verify(null, bytes, publicKey, signature)) throw new Error('raw verification failed');
}

// jose on the same messages: same protected header, same canonical payload, keys imported once.
const joseHeader = { alg: 'EdDSA', typ: 'concordia-consent+jwt', kid: alice.kid };
const josePrivate = await importJWK({ ...alice.privateJwk }, 'EdDSA');
const josePublic = await importJWK({ ...alice.publicJwk }, 'EdDSA');

async function josePair(): Promise<void> {
  const jws = await new CompactSign(canonicalBytes(consent)).setProtectedHeader(joseHeader).sign(josePrivate);
  await compactVerify(jws, josePublic);
}

async function protocolPair(): Promise<void> {
  const jws = signMessage('consent', consent, alice.privateJwk);
  await verifyMessage('consent', jws, resolver, { audience: 'federation', now: NOW });
}

// Batched sharing: one signature over the Merkle root of BATCH records, one proof per record,
// against raw sign+verify of each record's canonical bytes.
const BATCH = 100;
const records: ShareRecord[] = Array.from({ length: BATCH }, (_, i) => ({
  recordId: `order-${String(i).padStart(6, '0')}`,
  consentId: 'consent-2025-000123',
  subjectToken: subjectToken(tokenKey, 'email', `customer${i}@example.com`),
  category: 'orders',
  data: { total: 100 + i, currency: 'EUR', placedAt: '2025-05-02T10:00:00Z', items: 3 },
}));
const recordBytes = records.map((record) => canonicalBytes(record));

function rawRecords(): void {
  for (const record of recordBytes) {
    const signature = sign(null, record, privateKey);
    if (!verify(null, record, publicKey, signature)) throw new Error('raw verification failed');
  }
}

async function protocolBatch(): Promise<void> {
  const { batch, items } = createShareBatch(records);
  const jws = signMessage(
    'share',
    {
      iss: 'alice-bank',
      aud: 'bob-shop',
      exp: NOW + 600,
      purpose: 'customer-care',
      agreementId: 'agreement-0001',
      consentIds: ['consent-2025-000123'],
      categories: ['orders'],
      batch,
    },
    alice.privateJwk,
  );
  const { claims } = await verifyMessage('share', jws, resolver, { audience: 'bob-shop', now: NOW });
  for (const item of items) verifyBatchedRecord(claims, item);
}

interface Rate {
  cpu: number;
  wall: number;
}

async function measure(run: () => void | Promise<void>, step = 100): Promise<Rate> {
  const deadline = performance.now() + SECONDS_PER_ROUND * 1000;
  let count = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  while (performance.now() < deadline) {
    for (let i = 0; i < step; i++) await run();
    count += step;
  }
  const cpu = process.cpuUsage(cpuStart);
  return {
    cpu: count / ((cpu.user + cpu.system) / 1e6),
    wall: count / ((performance.now() - start) / 1000),
  };
}

function median(rates: Rate[], clock: keyof Rate = 'cpu'): number {
  const sorted = rates.map((rate) => rate[clock]).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function line(label: string, rates: Rate[], unit: string, scale = 1): string {
  return `${label.padEnd(37)}: ${(median(rates) * scale).toFixed(0)} ${unit} (wall clock ${(median(rates, 'wall') * scale).toFixed(0)})`;
}

async function main(): Promise<void> {
  // Warm-up: JIT, key caches, zod's compiled validators.
  for (let i = 0; i < 2000; i++) {
    rawPair();
    await protocolPair();
    await josePair();
  }
  for (let i = 0; i < 20; i++) {
    rawRecords();
    await protocolBatch();
  }
  const raw: Rate[] = [];
  const protocol: Rate[] = [];
  const jose: Rate[] = [];
  const rawBatch: Rate[] = [];
  const protocolBatches: Rate[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved rounds so that machine noise hits both sides alike.
    raw.push(await measure(rawPair));
    protocol.push(await measure(protocolPair));
    jose.push(await measure(josePair));
    rawBatch.push(await measure(rawRecords, 1));
    protocolBatches.push(await measure(protocolBatch, 1));
  }
  const rawRate = median(raw);
  const protocolRate = median(protocol);
  console.log(
    `consent receipt: ${bytes.length} canonical bytes; ${ROUNDS} rounds of ${SECONDS_PER_ROUND}s, medians per CPU second`,
  );
  console.log(line('raw node:crypto Ed25519 sign+verify', raw, 'pairs/s'));
  console.log(line('signMessage + verifyMessage', protocol, 'pairs/s'));
  console.log(
    `${'ratio protocol / raw'.padEnd(37)}: ${((protocolRate / rawRate) * 100).toFixed(1)} % (goal ≥ 80 %; wall clock ${((median(protocol, 'wall') / median(raw, 'wall')) * 100).toFixed(1)} %)`,
  );
  console.log(line('jose CompactSign + compactVerify', jose, 'pairs/s'));
  console.log(`${'ratio jose / raw'.padEnd(37)}: ${((median(jose) / rawRate) * 100).toFixed(1)} %`);
  const rawRecordRate = median(rawBatch) * BATCH;
  const batchRecordRate = median(protocolBatches) * BATCH;
  console.log(`batched share, ${BATCH} records per signature:`);
  console.log(line('raw sign+verify per record', rawBatch, 'records/s', BATCH));
  console.log(line('batch + proofs through the library', protocolBatches, 'records/s', BATCH));
  console.log(
    `${'ratio batched / raw'.padEnd(37)}: ${((batchRecordRate / rawRecordRate) * 100).toFixed(1)} %`,
  );
}

await main();
