import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { decryptJwe, encryptJwe } from '../jwe.js';
import { jwksKeyResolver } from '../resolvers.js';
import { alice, bobEncryption, NOW, sampleClaims } from '../testing/fixtures.js';
import {
  checkRecordHashes,
  commitRecords,
  createShareBatch,
  openCommittedRecords,
  verifyBatchedRecord,
  type ShareRecord,
} from './share.js';
import { signMessage, verifyMessage } from './sign.js';

const resolver = jwksKeyResolver({ keys: [alice.publicJwk] });
const records: ShareRecord[] = Array.from({ length: 37 }, (_, i) => ({
  recordId: `order-${String(i).padStart(6, '0')}`,
  consentId: i % 2 === 0 ? 'consent-0001' : 'consent-0002',
  subjectToken: String(i).padStart(43, 'A'),
  category: 'orders',
  data: { total: i * 10, currency: 'EUR' },
}));
const { records: _inline, ...base } = sampleClaims().share;

describe('share envelopes', () => {
  describe('batched: one signature, one proof per record', () => {
    const { batch, items } = createShareBatch(records);
    const jws = signMessage(
      'share',
      { ...base, consentIds: ['consent-0001', 'consent-0002'], categories: ['orders'], batch },
      alice.privateJwk,
    );

    it('verifies every record under the signed root', async () => {
      const { claims } = await verifyMessage('share', jws, resolver, { audience: 'bob-shop', now: NOW });
      expect(items.map((item) => verifyBatchedRecord(claims, item))).toEqual(records);
    });

    it('refuses a changed record, a moved record, a bad proof, a record outside the envelope', async () => {
      const { claims } = await verifyMessage('share', jws, resolver, { audience: 'bob-shop', now: NOW });
      const item = items[5]!;
      const changed = { ...item, record: { ...item.record, data: { total: 1, currency: 'EUR' } } };
      expect(() => verifyBatchedRecord(claims, changed)).toThrow(
        expect.objectContaining({ code: 'PROOF_INVALID' }),
      );
      expect(() => verifyBatchedRecord(claims, { ...item, index: 6 })).toThrow(
        expect.objectContaining({ code: 'PROOF_INVALID' }),
      );
      expect(() => verifyBatchedRecord(claims, { ...item, proof: item.proof.slice(1) })).toThrow(
        expect.objectContaining({ code: 'PROOF_INVALID' }),
      );
      expect(() => verifyBatchedRecord(claims, { ...item, proof: ['***'] })).toThrow(
        expect.objectContaining({ code: 'MALFORMED' }),
      );
      expect(() => verifyBatchedRecord(claims, { ...item, index: 99 })).toThrow(
        expect.objectContaining({ code: 'OUT_OF_RANGE' }),
      );
      expect(() => verifyBatchedRecord({ ...claims, consentIds: ['consent-0002'] }, items[0]!)).toThrow(
        expect.objectContaining({ code: 'INVALID_CLAIMS' }),
      );
      expect(() =>
        verifyBatchedRecord(claims, { ...item, record: { ...item.record, category: 'health' } as never }),
      ).toThrow(expect.objectContaining({ code: 'INVALID_CLAIMS' }));
    });

    it('refuses an empty batch', () => {
      expect(() => createShareBatch([])).toThrow(expect.objectContaining({ code: 'MALFORMED' }));
    });
  });

  describe('committed: the signature covers a salted records root, not the records', () => {
    const { recordsRoot, items, leafHashes } = commitRecords(records);
    const jws = signMessage(
      'share',
      { ...base, consentIds: ['consent-0001', 'consent-0002'], categories: ['orders'], recordsRoot },
      alice.privateJwk,
    );

    it('opens the records beside it and gives the leaf hashes that still match once they are gone', async () => {
      const { claims } = await verifyMessage('share', jws, resolver, { audience: 'bob-shop', now: NOW });
      expect(Buffer.from(jws.split('.')[1]!, 'base64url').toString()).not.toContain('order-000001');
      const opened = openCommittedRecords(claims, items);
      expect(opened.records).toEqual(records);
      expect(opened.leafHashes).toEqual(leafHashes);
      expect(() => checkRecordHashes(claims.recordsRoot!, leafHashes)).not.toThrow();
    });

    it('salts every leaf: the same record never hashes the same twice', () => {
      const again = commitRecords(records);
      expect(again.leafHashes.filter((hash, i) => hash === leafHashes[i])).toEqual([]);
      expect(new Set(items.map((item) => item.salt)).size).toBe(items.length);
    });

    it('refuses a changed, dropped, reordered or foreign record, and changed or missing hashes', async () => {
      const { claims } = await verifyMessage('share', jws, resolver, { audience: 'bob-shop', now: NOW });
      const changed = items.map((item, i) =>
        i === 3 ? { ...item, record: { ...item.record, data: { total: 1 } } } : item,
      );
      const proofInvalid = expect.objectContaining({ code: 'PROOF_INVALID' });
      expect(() => openCommittedRecords(claims, changed)).toThrow(proofInvalid);
      expect(() => openCommittedRecords(claims, items.slice(1))).toThrow(proofInvalid);
      expect(() => openCommittedRecords(claims, [items[1], items[0], ...items.slice(2)])).toThrow(
        proofInvalid,
      );
      expect(() =>
        openCommittedRecords(
          claims,
          items.map((i) => ({ ...i, salt: 'short' })),
        ),
      ).toThrow(expect.objectContaining({ code: 'INVALID_CLAIMS' }));
      const foreign = commitRecords([{ ...records[0]!, consentId: 'consent-0009' }]);
      expect(() =>
        openCommittedRecords({ ...claims, recordsRoot: foreign.recordsRoot }, foreign.items),
      ).toThrow(expect.objectContaining({ code: 'INVALID_CLAIMS' }));
      const flipped = [...leafHashes];
      flipped[7] = leafHashes[8]!;
      expect(() => checkRecordHashes(claims.recordsRoot!, flipped)).toThrow(proofInvalid);
      expect(() => checkRecordHashes(claims.recordsRoot!, leafHashes.slice(1))).toThrow(proofInvalid);
      expect(() => checkRecordHashes(claims.recordsRoot!, ['not-a-hash'])).toThrow(
        expect.objectContaining({ code: 'MALFORMED' }),
      );
    });

    it('hashes a salted record as documented: SHA-256(0x00 ‖ JCS({record, salt})), bytes pinned', () => {
      const record: ShareRecord = {
        recordId: 'case-000042',
        consentId: 'consent-0001',
        subjectToken: 'qXhMIBivdHTFfm7Pyb580YMmDpCRXwleTHMcwEEdsZk',
        category: 'care-history',
        data: { satisfaction: 4, channel: 'phone', opened: '2025-05-02' },
      };
      const salt = Buffer.from([...Array(16).keys()]).toString('base64url');
      const text =
        '{"record":{"category":"care-history","consentId":"consent-0001","data":{"channel":"phone",' +
        '"opened":"2025-05-02","satisfaction":4},"recordId":"case-000042","subjectToken":' +
        '"qXhMIBivdHTFfm7Pyb580YMmDpCRXwleTHMcwEEdsZk"},"salt":"AAECAwQFBgcICQoLDA0ODw"}';
      const leaf = createHash('sha256')
        .update(Buffer.concat([Buffer.from([0]), Buffer.from(text)]))
        .digest('base64url');
      expect(leaf).toBe('N5saGdMoERCaGHfGea2Wd7ryYQIV-fJSJjrU5GOshwE');
      expect(commitRecords([record], () => salt)).toEqual({
        recordsRoot: { size: 1, root: leaf },
        items: [{ record, salt }],
        leafHashes: [leaf],
      });
    });

    it('is exclusive with the other ways of carrying records', () => {
      expect(() =>
        signMessage('share', { ...base, records: [records[0]!], recordsRoot } as never, alice.privateJwk),
      ).toThrow(expect.objectContaining({ code: 'INVALID_CLAIMS' }));
    });
  });

  it('carries records end-to-end encrypted for the recipient', async () => {
    const encryptedRecords = await encryptJwe(JSON.stringify(records.slice(0, 2)), bobEncryption.publicJwk, {
      typ: 'concordia-records+jwe',
    });
    const jws = signMessage(
      'share',
      { ...base, consentIds: ['consent-0001', 'consent-0002'], categories: ['orders'], encryptedRecords },
      alice.privateJwk,
    );
    const { claims } = await verifyMessage('share', jws, resolver, { audience: 'bob-shop', now: NOW });
    const plaintext = await decryptJwe(claims.encryptedRecords!, bobEncryption.privateJwk, {
      typ: 'concordia-records+jwe',
    });
    expect(JSON.parse(Buffer.from(plaintext).toString())).toEqual(records.slice(0, 2));
  });
});
