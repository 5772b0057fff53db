import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { jwksKeyResolver, verifyMessage } from '#protocol';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';
import { KeySealer } from './key-sealer.js';
import { KeyUse } from './node-key.entity.js';
import { KeysService } from './keys.service.js';

describe('node keys (real PostgreSQL)', () => {
  let node: TestNode;
  let admin: string;

  beforeAll(async () => {
    node = await startTestNode('keys', { KEY_ENCRYPTION_SECRET: 'k'.repeat(40) });
    admin = await node.tokenFor(Role.ADMIN);
  });
  afterAll(async () => node?.close());

  const KEYS = `{ nodeKeys { kid use status publicJwk activatedAt retiredAt } }`;
  type Keys = { nodeKeys: { kid: string; use: string; status: string; publicJwk: string }[] };

  it('creates a signing and an agreement key on first start, stored only sealed', async () => {
    const result = await node.gql<Keys>(KEYS, {}, admin);
    expect(result.errors).toBeUndefined();
    const keys = result.data!.nodeKeys;
    expect(keys.map((k) => `${k.use}:${k.status}`).sort()).toEqual(['AGREEMENT:ACTIVE', 'SIGNING:ACTIVE']);
    for (const key of keys) expect(JSON.parse(key.publicJwk)).not.toHaveProperty('d');

    const rows: { kid: string; public_jwk: Record<string, unknown>; sealed_private_key: string }[] =
      await node.app.get(DataSource).query(`SELECT kid, public_jwk, sealed_private_key FROM node_key`);
    for (const row of rows) {
      expect(row.public_jwk).not.toHaveProperty('d');
      expect(row.sealed_private_key).toMatch(/^v1\./);
      expect(row.sealed_private_key).not.toContain('"d"');
      // Opens only with the right secret and for its own row.
      const sealer = new KeySealer('k'.repeat(40));
      expect(JSON.parse(sealer.open(row.sealed_private_key, row.kid))).toHaveProperty('d');
      expect(() => new KeySealer('x'.repeat(40)).open(row.sealed_private_key, row.kid)).toThrow();
      expect(() => sealer.open(row.sealed_private_key, 'another-row')).toThrow();
    }
  });

  it('the database refuses a public key carrying a private part', async () => {
    await expect(
      node.app
        .get(DataSource)
        .query(
          `INSERT INTO node_key (kid, use, public_jwk, sealed_private_key, status) VALUES ($1, 'signing', $2, 'v1.a.b.c', 'pending')`,
          ['A'.repeat(43), JSON.stringify({ kid: 'A'.repeat(43), d: 'secret' })],
        ),
    ).rejects.toThrow(/check constraint/);
  });

  it('rotates locally (not a member): new key active, old retired, old signatures still verify', async () => {
    const keys = node.app.get(KeysService);
    const before = await keys.activeKid(KeyUse.SIGNING);
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: node.config.partnerId,
      aud: 'federation',
      iat: now,
      exp: now + 60,
      jwks: await keys.jwks(),
    };
    const signedBefore = await keys.sign('key-rotation', claims);

    const result = await node.gql<{
      rotateKeys: { announced: boolean; newKids: string[]; retiredKids: string[] };
    }>(`mutation { rotateKeys { announced newKids retiredKids } }`, {}, admin);
    expect(result.errors).toBeUndefined();
    expect(result.data!.rotateKeys).toMatchObject({ announced: false, retiredKids: [before] });
    const after = await keys.activeKid(KeyUse.SIGNING);
    expect(after).toBe(result.data!.rotateKeys.newKids[0]);
    expect(after).not.toBe(before);

    const listed = (await node.gql<Keys>(KEYS, {}, admin)).data!.nodeKeys;
    expect(listed.find((k) => k.kid === before)?.status).toBe('RETIRED');
    expect(listed.filter((k) => k.status === 'ACTIVE')).toHaveLength(2);

    // Old signatures verify under the node's JWKS (retired keys included) and under verifyOwn.
    await expect(
      keys.verifyOwn('key-rotation', signedBefore, { audience: 'federation' }),
    ).resolves.toMatchObject({ header: { kid: before } });
    const jwks = JSON.parse((await node.gql<{ nodeJwks: string }>(`{ nodeJwks }`, {}, admin)).data!.nodeJwks);
    await expect(
      verifyMessage('key-rotation', signedBefore, jwksKeyResolver(jwks), { audience: 'federation' }),
    ).resolves.toBeDefined();
    // New signatures use the new key.
    const signedAfter = await keys.sign('key-rotation', { ...claims, jti: undefined });
    expect(JSON.parse(Buffer.from(signedAfter.split('.')[0]!, 'base64url').toString()).kid).toBe(after);
  });

  it('keeps keys to admins', async () => {
    const agent = await node.tokenFor(Role.AGENT);
    expect((await node.gql(KEYS, {}, agent)).errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(
      (await node.gql(`mutation { rotateKeys { announced } }`, {}, agent)).errors![0].extensions!.code,
    ).toBe('FORBIDDEN');
  });
});
