/**
 * Consent registrations per second through the federation's HTTP API: a real server on
 * 127.0.0.1 over a fresh PostgreSQL database, two members with an active agreement, N signed
 * receipts posted by FederationClient at concurrency 8 (each one verified against the directory,
 * replay-checked, stored with its subject-token index and its event, in one transaction).
 * Baseline in the same run: GET /.well-known/jwks.json (one small query, no signature check) at
 * the same concurrency, i.e. the HTTP + Nest + database round trip without the registry's work.
 * Half the receipts are registered as in production, the other half with the federation ledger's
 * queue insert switched off, to show what the ledger costs on this route.
 *
 *   npm run build && node dist/bench/consent-registrations.bench.js [N receipts] [concurrency]
 * Needs PostgreSQL: TEST_DATABASE_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createJwks, generateSigningKeyPair, jwsHash, signMessage, subjectToken } from '#protocol';
import { FederationClient } from '#federation-client';
import { bootstrapFederation } from '../apps/federation/src/bootstrap.js';
import { loadFederationConfig } from '../apps/federation/src/config.js';
import { MembersService } from '../apps/federation/src/members/members.service.js';
import { LedgerService } from '#ledger';

const N = Number(process.argv[2] ?? 2000);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const now = () => Math.floor(Date.now() / 1000);

async function withAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function pool<T>(items: T[], concurrency: number, run: (item: T) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const dbName = `cc_bench_consents_${randomBytes(4).toString('hex')}`;
  await withAdmin(`CREATE DATABASE "${dbName}"`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const federation = await bootstrapFederation(
    loadFederationConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: url.toString(),
      DATABASE_POOL_SIZE: String(Math.max(10, CONCURRENCY + 2)),
      FEDERATION_ID: 'bench-net',
      KEY_ENCRYPTION_SECRET: 'bench secret of at least thirty-two characters',
    }),
  );
  try {
    const client = new FederationClient({ baseUrl: federation.url });
    const members = federation.app.get(MembersService);
    const alice = generateSigningKeyPair();
    const bob = generateSigningKeyPair();
    for (const [id, key] of [
      ['alice-bank', alice],
      ['bob-shop', bob],
    ] as const) {
      const application = signMessage(
        'membership-application',
        {
          iss: id,
          sub: id,
          aud: 'bench-net',
          exp: now() + 600,
          name: id,
          endpoint: `https://${id}.example`,
          jwks: createJwks([key.publicJwk]),
        },
        key.privateJwk,
      );
      const { applicationId } = await client.apply(application);
      // Operator approval, straight through the service (the bench measures the protocol routes).
      await members.approve(applicationId, null as unknown as string);
    }
    const agreement = signMessage(
      'agreement',
      {
        iss: 'alice-bank',
        aud: 'bench-net',
        exp: now() + 600,
        agreementId: 'agreement-bench-1',
        version: 1,
        parties: ['alice-bank', 'bob-shop'],
        direction: 'mutual',
        purposes: ['customer-care', 'marketing'],
        categories: ['contact', 'care-history'],
        retentionDays: 365,
        minCohortSize: 10,
        validFrom: now() - 10,
        validUntil: now() + 86_400,
      },
      alice.privateJwk,
    );
    await client.proposeAgreement(agreement);
    await client.transitionAgreement(
      'agreement-bench-1',
      signMessage(
        'agreement-transition',
        {
          iss: 'bob-shop',
          aud: 'bench-net',
          exp: now() + 600,
          agreementId: 'agreement-bench-1',
          version: 1,
          agreementHash: jwsHash(agreement),
          from: 'proposed',
          to: 'accepted',
        },
        bob.privateJwk,
      ),
    );

    const tokenKey = randomBytes(32);
    const receipts = Array.from({ length: N }, (_, i) =>
      signMessage(
        'consent-registration',
        {
          iss: 'alice-bank',
          aud: 'bench-net',
          exp: now() + 3600,
          registrationId: `registration-${randomUUID()}`,
          controller: 'alice-bank',
          recipient: 'bob-shop',
          agreementId: 'agreement-bench-1',
          subjectTokens: [
            {
              kind: 'email',
              token: subjectToken(tokenKey, 'email', `customer${i}@example.com`),
              keyId: 'agreement-bench-1',
            },
          ],
          purposes: ['customer-care'],
          categories: ['care-history'],
          validFrom: now() - 60,
          validUntil: now() + 365 * 86_400,
          receiptCommitment: 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg',
        },
        alice.privateJwk,
      ),
    );

    // Warm-up (JIT, connection pool), then the measured runs.
    await pool(receipts.slice(0, 50), CONCURRENCY, (r) => client.registerConsent(r));
    const measured = receipts.slice(50);
    const half = Math.floor(measured.length / 2);
    const baselineSeconds = await pool(measured, CONCURRENCY, () => client.jwks());
    // Half the receipts as in production, half without the federation ledger's part of the
    // transaction (its queue row; the sequencer then has nothing to do), in alternating quarters
    // so that neither side gets the warmer machine: what the ledger costs on this route.
    const ledger = federation.app.get(LedgerService);
    const enqueue = ledger.enqueue.bind(ledger);
    const skip = async () => ({ queueId: 0, leafHash: new Uint8Array(32), appendedAt: new Date() });
    let seconds = 0;
    let unledgeredSeconds = 0;
    const quarter = Math.floor(half / 2);
    for (const [i, slice] of [
      measured.slice(0, quarter),
      measured.slice(half, half + quarter),
      measured.slice(quarter, half),
      measured.slice(half + quarter),
    ].entries()) {
      const withLedger = i % 2 === 0;
      ledger.enqueue = withLedger ? enqueue : skip;
      const took = await pool(slice, CONCURRENCY, (r) => client.registerConsent(r));
      if (withLedger) seconds += took;
      else unledgeredSeconds += took;
    }
    ledger.enqueue = enqueue;
    const rate = half / seconds;
    const unledgered = (measured.length - half) / unledgeredSeconds;
    const baseline = measured.length / baselineSeconds;
    console.log(`consent registrations over HTTP, concurrency ${CONCURRENCY}, ${measured.length} receipts`);
    console.log(
      `  registrations   ${rate.toFixed(0).padStart(7)} /s   (${((seconds / half) * 1000).toFixed(2)} ms each, ${half} receipts, federation ledger on)`,
    );
    console.log(
      `  without ledger  ${unledgered.toFixed(0).padStart(7)} /s   (${measured.length - half} receipts, no ledger queue row)`,
    );
    console.log(
      `  baseline GET    ${baseline.toFixed(0).padStart(7)} /s   (/.well-known/jwks.json, same concurrency)`,
    );
    console.log(`  ratio           ${((rate / baseline) * 100).toFixed(1)} % of the baseline`);
    console.log(
      `  ledger cost     ${((rate / unledgered) * 100).toFixed(1)} % of the throughput without the ledger`,
    );
  } finally {
    await federation.app.close();
    await withAdmin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
