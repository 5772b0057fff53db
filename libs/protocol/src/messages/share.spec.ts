import { describe, expect, it } from '@jest/globals';
import { decryptJwe, encryptJwe } from '../jwe.js';
import { jwksKeyResolver } from '../resolvers.js';
import { alice, bobEncryption, NOW, sampleClaims } from '../testing/fixtures.js';
import { createShareBatch, verifyBatchedRecord, type ShareRecord } from './share.js';
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
