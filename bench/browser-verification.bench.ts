/**
 * The compliance officer's checks in the browser: 1,000 ledger inclusion proofs (checkpoint
 * signature, leaf hash, path to the root) and 1,000 purge-receipt signatures, verified in the
 * machine's Chromium through libs/protocol's WebCrypto functions (the code the console runs), and
 * in the same run in Node through libs/protocol's node:crypto ones (the baseline), and through
 * the WebCrypto ones in Node too. Ratio = browser / Node node:crypto. Figures only, never asserted.
 *
 *   npm run build && node dist/bench/browser-verification.bench.js [--n 1000]
 *
 * The browser loads the compiled ES modules of dist/libs/protocol/src/webcrypto from a local static
 * server (127.0.0.1, a free port): the same files the console bundles.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { resolve, normalize } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { chromium } from '@playwright/test';
import {
  formatVerifierKey,
  generateSigningKeyPair,
  inclusionProof,
  leafHash,
  memoizedHashSource,
  merkleRoot,
  noteVerifier,
  signCheckpoint,
  signJwt,
  verifyCompact,
} from '#protocol';
import { verifyLedgerInclusion, type LedgerInclusionClaim } from '../libs/compliance/src/ledger-proof.js';
import {
  verifyJwsWithKeysWebCrypto,
  verifyLedgerInclusionWebCrypto,
} from '../libs/protocol/src/webcrypto/index.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/console/support/chromium.js';

const DIST = resolve('dist');

function count(): number {
  const i = process.argv.indexOf('--n');
  const n = i < 0 ? 1000 : Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error('--n: not a whole number ≥ 1');
  return n;
}

function fixtures(n: number) {
  const node = generateSigningKeyPair();
  const partner = generateSigningKeyPair();
  const origin = 'bench.example/retailer/ledger';
  const entries = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      at: new Date(1_800_000_000_000 + i).toISOString(),
      data: { consentId: `c-${i}` },
      kind: 'consent.given',
    }),
  );
  const leaves = entries.map((e) => leafHash(Buffer.from(e)));
  const source = memoizedHashSource(leaves);
  const note = signCheckpoint(
    { origin, size: n, rootHash: merkleRoot(leaves) },
    { name: origin, privateJwk: node.privateJwk },
  );
  const verifierKey = formatVerifierKey(noteVerifier(origin, node.publicJwk));
  const claims: LedgerInclusionClaim[] = entries.map((entry, seq) => ({
    entry,
    seq,
    treeSize: n,
    hashes: inclusionProof(source, seq, n).map((h) => Buffer.from(h).toString('base64')),
    checkpointNote: note,
    verifierKey,
    origin,
  }));
  const now = Math.floor(Date.now() / 1000);
  const receipts = Array.from({ length: n }, (_, i) =>
    signJwt(
      'concordia-purge-receipt+jwt',
      { iss: 'telecom', iat: now, exp: now + 3600, jti: `p-${i}`, consentId: `c-${i}`, recordsPurged: i % 7 },
      partner.privateJwk,
    ),
  );
  return { claims, receipts, nodeKey: node.publicJwk, partnerKey: partner.publicJwk };
}

async function timed(run: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function main(): Promise<void> {
  const n = count();
  const data = fixtures(n);

  // Warm-up (JIT, key imports), then Node, node:crypto (baseline), then Node, WebCrypto.
  for (const claim of data.claims.slice(0, 50)) verifyLedgerInclusion(claim);
  for (const jws of data.receipts.slice(0, 50)) verifyCompact(jws, data.partnerKey);
  const nodeProofs = await timed(() => data.claims.forEach((claim) => verifyLedgerInclusion(claim)));
  const nodeReceipts = await timed(() => data.receipts.forEach((jws) => verifyCompact(jws, data.partnerKey)));
  const webNodeProofs = await timed(async () => {
    for (const claim of data.claims)
      await verifyLedgerInclusionWebCrypto(claim, { trustedKeys: [data.nodeKey] });
  });
  const webNodeReceipts = await timed(async () => {
    for (const jws of data.receipts) await verifyJwsWithKeysWebCrypto(jws, [data.partnerKey]);
  });

  // The browser: the compiled modules from a local static server.
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent((request.url ?? '/').split('?')[0]!));
    if (path === '/' || path === '/index.html') {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>');
      return;
    }
    const file = resolve(DIST, `.${path}`);
    if (!file.startsWith(DIST)) return void response.writeHead(404).end();
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': 'text/javascript' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/`);
    const inBrowser = await page.evaluate(
      async (input) => {
        const lib = (await import(
          `${input.url}/libs/protocol/src/webcrypto/index.js`
        )) as typeof import('../libs/protocol/src/webcrypto/index.js');
        for (const claim of input.claims.slice(0, 50))
          await lib.verifyLedgerInclusionWebCrypto(claim, { trustedKeys: [input.nodeKey] });
        for (const jws of input.receipts.slice(0, 50))
          await lib.verifyJwsWithKeysWebCrypto(jws, [input.partnerKey]);
        const t0 = performance.now();
        for (const claim of input.claims)
          await lib.verifyLedgerInclusionWebCrypto(claim, { trustedKeys: [input.nodeKey] });
        const t1 = performance.now();
        for (const jws of input.receipts) await lib.verifyJwsWithKeysWebCrypto(jws, [input.partnerKey]);
        const t2 = performance.now();
        return { proofs: t1 - t0, receipts: t2 - t1 };
      },
      { ...data, url },
    );
    const row = (what: string, browserMs: number, nodeMs: number, webNodeMs: number) =>
      `${what.padEnd(34)} browser ${browserMs.toFixed(0).padStart(6)} ms (${((n / browserMs) * 1000).toFixed(0)}/s)   ` +
      `Node node:crypto ${nodeMs.toFixed(0).padStart(5)} ms   Node WebCrypto ${webNodeMs.toFixed(0).padStart(5)} ms   ` +
      `ratio browser/Node ${(browserMs / nodeMs).toFixed(2)}`;
    console.log(
      `In-browser verification, ${n} of each (Chromium ${browser.version()}, Node ${process.version})`,
    );
    console.log(row(`${n} inclusion proofs + checkpoints`, inBrowser.proofs, nodeProofs, webNodeProofs));
    console.log(row(`${n} purge-receipt signatures`, inBrowser.receipts, nodeReceipts, webNodeReceipts));
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
