/**
 * Signatures issued and verified per second through the protocol library (signMessage +
 * verifyMessage of a typical consent receipt: canonical JSON, zod validation, typ/kid/claims
 * checks) against raw node:crypto Ed25519 sign + verify of the same canonical bytes, in the same
 * run. Goal: the library keeps ≥ 80 % of raw throughput. An extra line measures jose's own
 * CompactSign + compactVerify (Web Crypto) on the same header and canonical payload.
 *
 * Rates are per second of this process's CPU time (user + system), measured in short alternating
 * slices of each side, so that other processes and the speed changes of a shared virtual machine
 * do not move one side more than the other; wall-clock rates are printed alongside. The ratio is
 * the median over pairs of adjacent slices, with the 10th to 90th percentile of those ratios.
 *
 *   npm run build && node dist/bench/protocol-signatures.bench.js [slices per side, default 40]
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
import { percentile } from './bench-support.js';

const SLICES = Number(process.argv[2] ?? 40);
const SLICE_MS = 100;
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

/** Work done and CPU and wall time spent on one side of a comparison, summed over its slices. */
interface Side {
  count: number;
  cpuMicros: number;
  wallMillis: number;
}

/** Runs `run` for one slice of SLICE_MS, in steps of `step` calls, adding what it did to `side`. */
async function slice(side: Side, run: () => void | Promise<void>, step: number): Promise<void> {
  const start = performance.now();
  const deadline = start + SLICE_MS;
  const cpuStart = process.cpuUsage();
  let count = 0;
  while (performance.now() < deadline) {
    for (let i = 0; i < step; i++) await run();
    count += step;
  }
  const cpu = process.cpuUsage(cpuStart);
  side.count += count;
  side.cpuMicros += cpu.user + cpu.system;
  side.wallMillis += performance.now() - start;
}

const perCpuSecond = (side: Side) => side.count / (side.cpuMicros / 1e6);
const perWallSecond = (side: Side) => side.count / (side.wallMillis / 1e3);

interface Comparison {
  baseline: Side;
  measured: Side;
  /** measured/baseline rate per CPU second, one per pair of adjacent slices. */
  ratios: number[];
}

/**
 * Alternates short slices of the baseline and of the measured path (SLICES of each), so that the
 * speed changes of a shared machine, which last longer than a slice, hit both sides alike; the
 * ratio is the median of the ratios of adjacent slices.
 */
async function compare(
  baseline: () => void | Promise<void>,
  measured: () => void | Promise<void>,
  step: number,
): Promise<Comparison> {
  const result: Comparison = {
    baseline: { count: 0, cpuMicros: 0, wallMillis: 0 },
    measured: { count: 0, cpuMicros: 0, wallMillis: 0 },
    ratios: [],
  };
  for (let i = 0; i < SLICES; i++) {
    const before = { ...result.baseline };
    const after = { ...result.measured };
    // Which side goes first alternates too: neither always runs just after the other.
    if (i % 2 === 0) {
      await slice(result.baseline, baseline, step);
      await slice(result.measured, measured, step);
    } else {
      await slice(result.measured, measured, step);
      await slice(result.baseline, baseline, step);
    }
    const baselineRate = perCpuSecond(difference(result.baseline, before));
    const measuredRate = perCpuSecond(difference(result.measured, after));
    result.ratios.push(measuredRate / baselineRate);
  }
  return result;
}

function difference(total: Side, earlier: Side): Side {
  return {
    count: total.count - earlier.count,
    cpuMicros: total.cpuMicros - earlier.cpuMicros,
    wallMillis: total.wallMillis - earlier.wallMillis,
  };
}

function rateLine(label: string, side: Side, unit: string, scale = 1): string {
  return `${label.padEnd(37)}: ${(perCpuSecond(side) * scale).toFixed(0)} ${unit} (wall clock ${(perWallSecond(side) * scale).toFixed(0)})`;
}

function ratioLine(label: string, comparison: Comparison, goal = ''): string {
  const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
  const sortedRatios = [...comparison.ratios].sort((a, b) => a - b);
  const spread = `slices ${percent(percentile(sortedRatios, 10))} to ${percent(percentile(sortedRatios, 90))}`;
  return `${label.padEnd(37)}: ${percent(percentile(sortedRatios, 50))}${goal} (${spread}; wall clock ${percent(perWallSecond(comparison.measured) / perWallSecond(comparison.baseline))})`;
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
  const protocol = await compare(rawPair, protocolPair, 10);
  const jose = await compare(rawPair, josePair, 10);
  const batched = await compare(rawRecords, protocolBatch, 1);
  console.log(
    `consent receipt: ${bytes.length} canonical bytes; ${SLICES} alternating slices of ${SLICE_MS} ms per side, rates per CPU second`,
  );
  console.log(rateLine('raw node:crypto Ed25519 sign+verify', protocol.baseline, 'pairs/s'));
  console.log(rateLine('signMessage + verifyMessage', protocol.measured, 'pairs/s'));
  console.log(ratioLine('ratio protocol / raw', protocol, ' (goal ≥ 80 %)'));
  console.log(rateLine('jose CompactSign + compactVerify', jose.measured, 'pairs/s'));
  console.log(ratioLine('ratio jose / raw', jose));
  console.log(`batched share, ${BATCH} records per signature:`);
  console.log(rateLine('raw sign+verify per record', batched.baseline, 'records/s', BATCH));
  console.log(rateLine('batch + proofs through the library', batched.measured, 'records/s', BATCH));
  console.log(ratioLine('ratio batched / raw', batched));
}

await main();
