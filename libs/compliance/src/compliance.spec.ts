import { describe, expect, it } from '@jest/globals';
import {
  canonicalize,
  generateSigningKeyPair,
  leafHash,
  MerkleFrontier,
  inclusionProof,
  noteVerifier,
  formatVerifierKey,
  signCheckpoint,
} from '#protocol';
import {
  buildRecordsOfProcessing,
  escapeHtml,
  renderHtmlDocument,
  verifyLedgerInclusion,
  VIOLATION_DESCRIPTIONS,
  VIOLATION_KINDS,
  violationSide,
  ViolationKind,
} from './index.js';

describe('HTML rendering', () => {
  it('escapes every value, key and title', () => {
    const html = renderHtmlDocument('Report <1>', 'meta "x"', [
      { title: '<b>t</b>', value: { firstName: '<script>alert(1)</script>', 'a"b': ["O'Hara & co"] } },
    ]);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('O&#39;Hara &amp; co');
    expect(html).toContain('Report &lt;1&gt;');
    expect(html).toContain('&lt;b&gt;t&lt;/b&gt;');
    expect(html).toContain('A&quot;b');
    expect(html).toContain("default-src 'none'");
    expect(escapeHtml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
  });
});

describe('ledger inclusion proofs', () => {
  const keys = generateSigningKeyPair();
  const name = 'concordia/test/ledger';
  const leaves = [0, 1, 2, 3, 4].map((i) =>
    canonicalize({ at: `t${i}`, data: { i }, kind: 'consent.given' }),
  );
  const hashes = leaves.map((l) => leafHash(Buffer.from(l, 'utf8')));
  const frontier = new MerkleFrontier();
  for (const h of hashes) frontier.append(h);
  const note = signCheckpoint({ origin: name, size: 5, rootHash: frontier.root() }, [
    { name, privateJwk: keys.privateJwk },
  ]);
  const verifierKey = formatVerifierKey(noteVerifier(name, keys.publicJwk));
  const claim = {
    entry: leaves[3]!,
    seq: 3,
    treeSize: 5,
    hashes: inclusionProof(hashes, 3, 5).map((h) => Buffer.from(h).toString('base64')),
    checkpointNote: note,
    verifierKey,
    origin: name,
  };

  it('verifies an entry under a signed checkpoint', () => {
    expect(verifyLedgerInclusion(claim)).toBe(Buffer.from(frontier.root()).toString('base64'));
  });

  it('refuses another entry, another index, another key', () => {
    expect(() => verifyLedgerInclusion({ ...claim, entry: leaves[2]! })).toThrow();
    expect(() => verifyLedgerInclusion({ ...claim, seq: 2 })).toThrow();
    const other = generateSigningKeyPair();
    expect(() =>
      verifyLedgerInclusion({
        ...claim,
        verifierKey: formatVerifierKey(noteVerifier(name, other.publicJwk)),
      }),
    ).toThrow();
  });
});

describe('records of processing', () => {
  const base = {
    controller: 'alpha-shop',
    federationId: 'fed',
    generatedAt: new Date('2026-01-01T00:00:00Z'),
    ledger: [{ kind: 'share.sent', count: 3 }],
    ledgerSize: 10,
  };
  const agreement = {
    agreementId: 'agr-00000001',
    partnerId: 'beta-bank',
    direction: 'outbound' as const,
    state: 'active',
    purposes: ['customer-care'],
    categories: ['orders', 'care-history'],
    retentionDays: 30,
    validFrom: new Date('2025-01-01T00:00:00Z'),
    validUntil: new Date('2027-01-01T00:00:00Z'),
  };

  it('one activity per purpose, with recipients, sources, categories, retention and consent counts', () => {
    const doc = buildRecordsOfProcessing({
      ...base,
      agreements: [
        agreement,
        {
          ...agreement,
          agreementId: 'agr-00000002',
          partnerId: 'gamma',
          direction: 'inbound',
          retentionDays: 90,
        },
        { ...agreement, agreementId: 'agr-00000003', partnerId: 'delta', state: 'terminated' },
      ],
      consents: [{ purpose: 'customer-care', live: 2, withdrawn: 1, expired: 0 }],
    });
    expect(doc.activities).toHaveLength(1);
    const [care] = doc.activities;
    expect(care).toMatchObject({
      purpose: 'customer-care',
      recipients: ['beta-bank'],
      sources: ['gamma'],
      retentionDays: 90,
      consentsLive: 2,
      consentsWithdrawn: 1,
    });
    expect(care!.categoriesOfData.map((c) => c.category)).toEqual(['care-history', 'orders']);
    expect(care!.transfers.map((t) => t.partnerId)).toEqual(['beta-bank', 'gamma']);
    expect(doc.securityMeasures.length).toBeGreaterThan(3);
    expect(doc.ledgerCounts).toEqual([{ kind: 'share.sent', count: 3 }]);
  });

  it('a purpose with consents but no agreement in force says nothing is shared', () => {
    const doc = buildRecordsOfProcessing({
      ...base,
      agreements: [],
      consents: [{ purpose: 'marketing', live: 1, withdrawn: 0, expired: 0 }],
    });
    expect(doc.activities[0]).toMatchObject({ purpose: 'marketing', recipients: [], retentionDays: null });
    expect(doc.activities[0]!.retention).toMatch(/nothing is shared/);
  });
});

describe('violation catalogue', () => {
  it('describes every kind and names its side', () => {
    for (const kind of VIOLATION_KINDS) expect(VIOLATION_DESCRIPTIONS[kind]).toBeTruthy();
    expect(violationSide(ViolationKind.SHARE_AFTER_WITHDRAWAL)).toBe('holding');
    expect(violationSide(ViolationKind.PURGE_UNCONFIRMED)).toBe('holding');
    expect(violationSide(ViolationKind.RETENTION_EXCEEDED)).toBe('receiving');
  });
});
