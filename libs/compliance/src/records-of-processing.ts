/**
 * GDPR Art. 30 records of processing, built from a node's sharing agreements, consent counts and
 * ledger counts. Pure: the caller reads the numbers, this decides what the record says.
 */

/** DPV-aligned descriptions of the protocol's purposes. */
export const PURPOSE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'customer-care': 'Customer care: giving agents the customer’s care and purchase history (dpv:CustomerCare)',
  marketing: 'Marketing: merged market segments and targeted campaigns (dpv:Marketing)',
  analytics: 'Analytics: aggregate statistics over shared segments (dpv:ServiceOptimisation)',
};

/** What each data category holds (DPV personal-data categories). */
export const CATEGORY_DESCRIPTIONS: Readonly<Record<string, string>> = {
  contact: 'Contact data: names, e-mail addresses, phone numbers (dpv-pd:Contact)',
  orders: 'Purchase history: order number, date, status, channel, total (dpv-pd:PurchaseHistory)',
  'care-history':
    'Customer-care history: interactions and care cases, subject lines and status (dpv-pd:ServiceConsumptionBehavior)',
  'segment-membership': 'Segment membership: which marketing segments the customer is in (dpv-pd:Profile)',
};

export const SECURITY_MEASURES: readonly string[] = [
  'Every record that leaves the node travels in an envelope signed by this node (JWS, EdDSA over Ed25519) and names issuer, audience, purpose, agreement and consents.',
  'Shared records are end-to-end encrypted for the recipient (JWE, ECDH-ES over X25519 + A256GCM); the federation relay cannot read them.',
  'Customers are matched across partners by keyed pseudonyms (HMAC-SHA256 over a normalised e-mail or phone) whose key the federation does not hold.',
  'No consent, no share: each share is checked against a live, registered, signed consent and an active agreement, at the sender and again at the receiver.',
  'Withdrawal and erasure purge every recipient’s copies; each recipient answers with a signed purge receipt.',
  'Consents, withdrawals, envelopes sent and received, agent accesses to shared data, purges and erasures are entries of a tamper-evident RFC 9162 Merkle ledger with signed checkpoints, verifiable offline.',
  'Role-based access (admin, agent, marketer, compliance); every agent access to shared data is logged.',
  'Shared copies are deleted at the end of the agreement’s retention period.',
];

export interface AgreementFacts {
  agreementId: string;
  partnerId: string;
  /** mutual, outbound (this node shares), inbound (the partner shares with this node). */
  direction: 'mutual' | 'outbound' | 'inbound';
  state: string;
  purposes: readonly string[];
  categories: readonly string[];
  retentionDays: number;
  validFrom: Date;
  validUntil: Date;
}

export interface ProcessingFacts {
  controller: string;
  federationId: string | null;
  generatedAt: Date;
  agreements: readonly AgreementFacts[];
  /** Consents captured here, per purpose. */
  consents: readonly { purpose: string; live: number; withdrawn: number; expired: number }[];
  /** Ledger entries per kind. */
  ledger: readonly { kind: string; count: number }[];
  ledgerSize: number;
}

export interface ProcessingActivity {
  purpose: string;
  description: string;
  legalBasis: string;
  categoriesOfDataSubjects: string[];
  categoriesOfData: { category: string; description: string }[];
  /** Partners this node discloses data to for this purpose. */
  recipients: string[];
  /** Partners this node receives data from for this purpose. */
  sources: string[];
  transfers: { partnerId: string; agreementId: string; direction: string; safeguards: string }[];
  /** The longest retention of a received copy, in days (per agreement in `transfers`). */
  retentionDays: number | null;
  retention: string;
  consentsLive: number;
  consentsWithdrawn: number;
  consentsExpired: number;
}

export interface RecordsOfProcessingDocument {
  controller: string;
  federationId: string | null;
  generatedAt: Date;
  activities: ProcessingActivity[];
  securityMeasures: string[];
  ledgerSize: number;
  ledgerCounts: { kind: string; count: number }[];
}

const LIVE_STATES = new Set(['accepted', 'active']);

/** One activity per purpose of an agreement in force (or of consents captured here). */
export function buildRecordsOfProcessing(facts: ProcessingFacts): RecordsOfProcessingDocument {
  const inForce = facts.agreements.filter((a) => LIVE_STATES.has(a.state));
  const purposes = new Set<string>([
    ...inForce.flatMap((a) => a.purposes),
    ...facts.consents.map((c) => c.purpose),
  ]);
  const activities = [...purposes].sort().map((purpose): ProcessingActivity => {
    const agreements = inForce.filter((a) => a.purposes.includes(purpose));
    const categories = [...new Set(agreements.flatMap((a) => a.categories))].sort();
    const outbound = agreements.filter((a) => a.direction !== 'inbound');
    const inbound = agreements.filter((a) => a.direction !== 'outbound');
    const retention = agreements.length > 0 ? Math.max(...agreements.map((a) => a.retentionDays)) : null;
    const counts = facts.consents.find((c) => c.purpose === purpose);
    return {
      purpose,
      description: PURPOSE_DESCRIPTIONS[purpose] ?? purpose,
      legalBasis:
        'Consent of the data subject (GDPR Art. 6(1)(a)), captured by this node with the exact notice version shown, signed and registered with the federation',
      categoriesOfDataSubjects: ['Customers of this partner who consented to sharing'],
      categoriesOfData: categories.map((category) => ({
        category,
        description: CATEGORY_DESCRIPTIONS[category] ?? category,
      })),
      recipients: [...new Set(outbound.map((a) => a.partnerId))].sort(),
      sources: [...new Set(inbound.map((a) => a.partnerId))].sort(),
      transfers: agreements
        .map((a) => ({
          partnerId: a.partnerId,
          agreementId: a.agreementId,
          direction: a.direction,
          safeguards: `Sharing agreement ${a.agreementId} signed by both parties (valid ${a.validFrom.toISOString().slice(0, 10)} to ${a.validUntil.toISOString().slice(0, 10)}); signed and encrypted envelopes through the federation relay`,
        }))
        .sort((x, y) => x.partnerId.localeCompare(y.partnerId) || x.agreementId.localeCompare(y.agreementId)),
      retentionDays: retention,
      retention:
        retention === null
          ? 'No agreement in force: nothing is shared or received for this purpose'
          : `Copies received from partners are deleted at the latest ${retention} days after receipt, or at once when the consent is withdrawn; this node keeps its own records under its own retention policy`,
      consentsLive: counts?.live ?? 0,
      consentsWithdrawn: counts?.withdrawn ?? 0,
      consentsExpired: counts?.expired ?? 0,
    };
  });
  return {
    controller: facts.controller,
    federationId: facts.federationId,
    generatedAt: facts.generatedAt,
    activities,
    securityMeasures: [...SECURITY_MEASURES],
    ledgerSize: facts.ledgerSize,
    ledgerCounts: [...facts.ledger].sort((a, b) => a.kind.localeCompare(b.kind)),
  };
}
