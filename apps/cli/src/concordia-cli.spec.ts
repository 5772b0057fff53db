import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { LedgerService, type LedgerExport } from '#ledger';
import { createTestDatabase, type TestDatabase } from '#platform/testing/test-database';
import type { CliIo } from '../../partner-node/src/cli/commands.js';
import { startTestNode, type TestNode } from '../../partner-node/src/testing/test-node.js';
import { runConcordiaCli } from './concordia-cli.js';

/**
 * The operator CLI's server, ledger and federation commands, against real PostgreSQL databases:
 * `start` and `federation start` serve what they should, `export-ledger` writes an export that
 * `verify-ledger` accepts (and refuses once tampered), `federation migrate` and
 * `federation create-operator` prepare a federation whose operator can log in, and
 * `federation export-ledger` writes the federation ledger's export, which verifies against the
 * keys the federation publishes.
 */
describe('operator CLI: start, ledger export and verification, federation commands (real PostgreSQL)', () => {
  const SECRET = 'the node key encryption secret of this test 0123456789';
  let node: TestNode;
  let fedDb: TestDatabase;
  let startDb: TestDatabase;
  let dir: string;
  const closers: (() => Promise<void>)[] = [];

  const run = async (env: NodeJS.ProcessEnv, ...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: { NODE_ENV: 'test', CONCORDIA_PASSWORD: 'a long enough password', ...env },
      started: (close) => closers.push(close),
    };
    const code = await runConcordiaCli(argv, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'concordia-cli-'));
    [node, fedDb, startDb] = await Promise.all([
      startTestNode('cli_ledger', { KEY_ENCRYPTION_SECRET: SECRET }),
      createTestDatabase('cli_federation'),
      createTestDatabase('cli_start'),
    ]);
  });

  afterAll(async () => {
    for (const close of closers) await close();
    await node?.close();
    await fedDb?.drop();
    await startDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('help lists every command, for the node and the federation', async () => {
    const help = await run({}, 'help');
    for (const command of [
      'start',
      'migrate',
      'create-user',
      'import-customers',
      'import-orders',
      'export-customer',
      'register',
      'rotate-keys',
      'agreements',
      'export-ledger',
      'verify-ledger',
      'federation start',
      'federation migrate',
      'federation create-operator',
      'federation export-ledger',
    ]) {
      expect(help.out).toContain(`  ${command} `);
    }
    expect((await run({}, 'federation')).code).toBe(2);
    expect((await run({}, 'federation', 'frobnicate')).err).toMatch(
      /unknown federation command "frobnicate"/,
    );
  });

  it('start: the node migrates its fresh database and answers /health and GraphQL', async () => {
    const started = await run({ DATABASE_URL: startDb.url, PORT: '0', PARTNER_ID: 'cli-start' }, 'start');
    expect(started.code).toBe(0);
    const url = /GraphQL (http:\/\/\S+)\/graphql/.exec(started.out)![1]!;
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    const anonymous = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ searchCustomers(query: "x") { id } }' }),
    });
    const body = (await anonymous.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect((await run({ DATABASE_URL: startDb.url }, 'start', '--now')).code).toBe(2);
  });

  it('export-ledger writes an export that verify-ledger accepts, and refuses once an entry is changed', async () => {
    const ledger = node.app.get(LedgerService);
    await node.app.get(DataSource).transaction(async (m) => {
      for (let n = 0; n < 5; n++) await ledger.append(m, 'cli.test', { n });
    });
    const env = {
      DATABASE_URL: node.db.url,
      KEY_ENCRYPTION_SECRET: SECRET,
      PARTNER_ID: node.config.partnerId,
    };
    const file = join(dir, 'ledger.json');
    const exported = await run(env, 'export-ledger', '--out', file);
    expect(exported).toMatchObject({
      code: 0,
      out: expect.stringMatching(/Exported \d+ ledger entries and 1 checkpoint/),
    });
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { entries: { entry: string }[] };
    expect(doc.entries.length).toBeGreaterThanOrEqual(5);

    const verified = await run({}, 'verify-ledger', file);
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(
      /^OK: entries, leaf hashes, roots, signatures and consistency proofs verify/m,
    );

    const tamperedFile = join(dir, 'tampered.json');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('{\\"n\\":3}');
    writeFileSync(tamperedFile, text.replace('{\\"n\\":3}', '{\\"n\\":4}'));
    const tampered = await run({}, 'verify-ledger', tamperedFile);
    expect(tampered.code).toBe(1);
    expect(tampered.err).toMatch(/^FAILED: /);

    // Ranges, bad arguments, and a missing secret (the checkpoint could not be signed).
    const range = await run(
      env,
      'export-ledger',
      '--out',
      join(dir, 'range.json'),
      '--from',
      '2',
      '--to',
      '4',
    );
    expect(range.out).toMatch(/Exported 2 ledger entries/);
    expect((await run(env, 'export-ledger', '--out', file, '--from', '-1')).code).toBe(2);
    expect((await run(env, 'export-ledger')).code).toBe(2);
    const { KEY_ENCRYPTION_SECRET: _secret, ...withoutSecret } = env;
    const refused = await run(withoutSecret, 'export-ledger', '--out', file);
    expect(refused).toMatchObject({ code: 1, err: expect.stringMatching(/KEY_ENCRYPTION_SECRET/) });
    expect((await run({}, 'verify-ledger', join(dir, 'missing.json'))).code).toBe(2);
  });

  const FEDERATION_SECRET = 'the federation key encryption secret of this test 0123';
  let federationUrl: string;
  let operatorToken: string;

  it('federation migrate, create-operator and start: the new operator logs in', async () => {
    const env = {
      DATABASE_URL: fedDb.url,
      FEDERATION_ID: 'cli-net',
      KEY_ENCRYPTION_SECRET: FEDERATION_SECRET,
    };
    const migrated = await run(env, 'federation', 'migrate');
    expect(migrated).toMatchObject({ code: 0, out: expect.stringMatching(/^Applied \d+ migration/) });
    expect((await run(env, 'federation', 'migrate')).out).toMatch(/up to date/);

    const created = await run(
      env,
      'federation',
      'create-operator',
      '--email',
      'ops@network.test',
      '--name',
      'Ops',
      '--roles',
      'operator,compliance',
    );
    expect(created).toMatchObject({ code: 0, out: expect.stringMatching(/role\(s\) operator, compliance/) });
    const again = await run(
      env,
      'federation',
      'create-operator',
      '--email',
      'OPS@network.test',
      '--name',
      'Ops',
    );
    expect(again).toMatchObject({ code: 1, err: expect.stringMatching(/already exists/) });
    const badRole = await run(
      env,
      'federation',
      'create-operator',
      '--email',
      'x@network.test',
      '--name',
      'X',
      '--roles',
      'root',
    );
    expect(badRole).toMatchObject({ code: 2, err: expect.stringMatching(/unknown role\(s\) root/) });
    const shortPassword = await run(
      { ...env, CONCORDIA_PASSWORD: 'short' },
      'federation',
      'create-operator',
      '--email',
      'y@network.test',
      '--name',
      'Y',
    );
    expect(shortPassword.code).toBe(1);

    const started = await run({ ...env, PORT: '0' }, 'federation', 'start');
    expect(started.code).toBe(0);
    const url = /GraphQL (http:\/\/\S+)\/graphql/.exec(started.out)![1]!;
    federationUrl = url;
    const login = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation($input: OperatorLoginInput!) { login(input: $input) { token } }`,
        variables: { input: { email: 'ops@network.test', password: 'a long enough password' } },
      }),
    });
    const body = (await login.json()) as { data?: { login: { token: string } } };
    expect(body.data?.login.token).toEqual(expect.any(String));
    operatorToken = body.data!.login.token;
  });

  it('federation export-ledger writes the federation ledger, which verifies with the keys it publishes', async () => {
    const env = {
      DATABASE_URL: fedDb.url,
      FEDERATION_ID: 'cli-net',
      KEY_ENCRYPTION_SECRET: FEDERATION_SECRET,
    };
    // An event with a signed message for the ledger: the operator announces the next key.
    const rotated = await fetch(`${federationUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${operatorToken}` },
      body: JSON.stringify({ query: `mutation { rotateFederationKey(graceSeconds: 3600) { kid } }` }),
    });
    expect(((await rotated.json()) as { errors?: unknown }).errors).toBeUndefined();
    const file = join(dir, 'federation-ledger.json');
    const exported = await run(env, 'federation', 'export-ledger', '--out', file);
    expect(exported).toMatchObject({
      code: 0,
      out: expect.stringMatching(
        /Exported [1-9]\d* federation ledger entries, 1 checkpoint\(s\) and [1-9]\d* signed message/,
      ),
    });
    const doc = JSON.parse(readFileSync(file, 'utf8')) as LedgerExport;
    expect(doc.entries.map((e) => e.kind)).toContain('federation.key-rotated');
    expect(doc.origin).toContain('cli-net');
    // Pinned to what the running federation publishes, not to the keys the export carries.
    const keysFile = join(dir, 'federation-jwks.json');
    writeFileSync(keysFile, await (await fetch(`${federationUrl}/.well-known/jwks.json`)).text());
    const verified = await run({}, 'verify-ledger', file, '--keys', keysFile);
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(/^OK: /m);

    // One entry changed: refused.
    const tamperedFile = join(dir, 'federation-tampered.json');
    const first = doc.entries[0]!;
    const changed = { ...doc, entries: [{ ...first, entry: `${first.entry} ` }, ...doc.entries.slice(1)] };
    writeFileSync(tamperedFile, JSON.stringify(changed));
    const tampered = await run({}, 'verify-ledger', tamperedFile, '--keys', keysFile);
    expect(tampered.code).toBe(1);
    expect(tampered.err).toMatch(/^FAILED: /);

    // A range, bad arguments, and a missing secret (the checkpoint could not be signed).
    const range = await run(
      env,
      'federation',
      'export-ledger',
      '--out',
      join(dir, 'fed-range.json'),
      '--to',
      '1',
    );
    expect(range.out).toMatch(/Exported 1 federation ledger entries/);
    expect((await run(env, 'federation', 'export-ledger')).code).toBe(2);
    expect((await run(env, 'federation', 'export-ledger', '--out', file, '--to', 'x')).code).toBe(2);
    const { KEY_ENCRYPTION_SECRET: _secret, ...withoutSecret } = env;
    const refused = await run(withoutSecret, 'federation', 'export-ledger', '--out', file);
    expect(refused).toMatchObject({ code: 1, err: expect.stringMatching(/KEY_ENCRYPTION_SECRET/) });
  });
});
