import { Field, ID, Int, IntersectionType, ObjectType, OmitType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ViolationKind } from '#compliance';
import { Connection } from '#platform/graphql/connection';
import { LedgerEntry, LedgerInclusionProof } from '#ledger';
import { Consent } from '../consents/consent.entity.js';
import { JSONScalar } from '../import-export/json.scalar.js';

registerEnumType(ViolationKind, { name: 'ComplianceViolationKind' });

// ---- consent history ---------------------------------------------------------------------------

@ObjectType({
  description:
    'Where a ledger entry is: the leaf, its RFC 9162 inclusion proof and the signed checkpoint it verifies against — all a client needs to check it with libs/protocol alone (libs/compliance verifyLedgerInclusion).',
})
export class LedgerInclusion extends IntersectionType(
  LedgerEntry,
  OmitType(LedgerInclusionProof, ['checkpoint'] as const),
) {
  @Field(() => String, {
    nullable: true,
    description: 'The signed checkpoint (C2SP note) of treeSize entries.',
  })
  checkpointNote: string | null;

  @Field(() => String, { nullable: true, description: 'C2SP verifier key of the checkpoint signer.' })
  verifierKey: string | null;

  @Field({ description: 'The origin the checkpoint names.' })
  origin: string;
}

@ObjectType({ description: 'A signed consent act (receipt or withdrawal) and where it is in the ledger.' })
export class ConsentAct {
  @Field({ description: 'consent.given or consent.withdrawn (the ledger entry kind).' })
  kind: string;

  @Field({ description: 'The signed act (compact JWS).' })
  jws: string;

  @Field()
  at: Date;

  @Field(() => LedgerInclusion, {
    nullable: true,
    description: 'The ledger entry that holds the JWS, with its inclusion proof; null if not found.',
  })
  ledger: LedgerInclusion | null;
}

@ObjectType()
export class ConsentHistoryItem {
  @Field(() => Consent)
  consent: Consent;

  @Field({ description: 'The version of the privacy notice the customer was shown.' })
  noticeVersion: string;

  @Field(() => ConsentAct)
  receipt: ConsentAct;

  @Field(() => ConsentAct, { nullable: true })
  withdrawal: ConsentAct | null;
}

@ObjectType({ description: "A customer's consents, each receipt and withdrawal with its ledger proof." })
export class CustomerConsentHistory {
  @Field(() => ID)
  customerId: string;

  @Field({ description: 'The origin named by this node’s ledger checkpoints.' })
  ledgerOrigin: string;

  @Field(() => String, {
    nullable: true,
    description: 'C2SP verifier key of the checkpoint signer (to verify the checkpoints offline).',
  })
  checkpointKey: string | null;

  @Field(() => [ConsentHistoryItem], { description: 'Oldest first.' })
  consents: ConsentHistoryItem[];
}

// ---- data flows --------------------------------------------------------------------------------

export enum PurgeState {
  NOT_REQUESTED = 'not_requested',
  REQUESTED = 'requested',
  CONFIRMED = 'confirmed',
}
registerEnumType(PurgeState, { name: 'PurgeState' });

@ObjectType({ description: "One envelope that carried some of the customer's records to a partner." })
export class DataShare {
  @Field(() => ID, { description: 'The envelope id (jti).' })
  envelopeId: string;

  @Field()
  recipient: string;

  @Field(() => ID)
  agreementId: string;

  @Field(() => ID)
  consentId: string;

  @Field({ description: 'push (outbox) or pull (answer to the recipient’s history request).' })
  channel: string;

  @Field({ description: 'When the records were checked against the consent and sealed.' })
  sentAt: Date;

  @Field(() => [String])
  categories: string[];

  @Field(() => Int, { description: "How many of the customer's records it carried." })
  records: number;

  @Field(() => PurgeState, { description: 'The purge of the recipient’s copies under this consent.' })
  purgeStatus: PurgeState;

  @Field(() => Date, { nullable: true })
  purgeRequestedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the signed purge receipt came back.' })
  purgeConfirmedAt: Date | null;
}

@ObjectType({ description: 'An agent’s access, at this node, to data partners shared about the customer.' })
export class SharedDataAccess {
  @Field(() => ID)
  accessId: string;

  @Field(() => ID, { nullable: true })
  userId: string | null;

  @Field(() => String, { nullable: true })
  userName: string | null;

  @Field()
  accessedAt: Date;

  @Field(() => [String])
  originPartnerIds: string[];

  @Field(() => [String], { description: "The items seen (the records' ids at their origin)." })
  originRecordIds: string[];

  @Field(() => [String])
  consentIds: string[];
}

@ObjectType({ description: "Where did this customer's data go, and who saw what partners shared." })
export class CustomerDataFlows {
  @Field(() => ID)
  customerId: string;

  @Field(() => [DataShare], { description: 'Every share of the customer’s records, oldest first.' })
  shares: DataShare[];

  @Field(() => [SharedDataAccess], { description: 'Every agent access to shared data, oldest first.' })
  accesses: SharedDataAccess[];

  @Field(() => Int, { description: 'Copies of partners’ records about the customer held here now.' })
  receivedCopies: number;
}

// ---- violations --------------------------------------------------------------------------------

@ObjectType({ description: 'One finding of the violations report. Holds ids only, no personal data.' })
export class ComplianceViolation {
  @Field(() => ViolationKind)
  kind: ViolationKind;

  @Field({ description: 'holding (this node sent the data) or receiving (this node holds a copy).' })
  side: string;

  @Field(() => String, { nullable: true })
  envelopeId: string | null;

  @Field(() => String, { nullable: true })
  consentId: string | null;

  @Field(() => String, { nullable: true })
  agreementId: string | null;

  @Field(() => String, { nullable: true, description: 'The recipient (holding) or the origin (receiving).' })
  partnerId: string | null;

  @Field(() => String, { nullable: true, description: 'kind:id of the record, or the access id.' })
  recordId: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When it happened (sent, received, accessed, requested).',
  })
  at: Date | null;

  @Field()
  detail: string;
}

@ObjectType()
export class ViolationCheck {
  @Field(() => ViolationKind)
  kind: ViolationKind;

  @Field()
  description: string;

  @Field(() => Int)
  count: number;
}

@ObjectType({ description: 'Every check of the report with its count, and the findings (expected: none).' })
export class ComplianceViolationReport {
  @Field()
  generatedAt: Date;

  @Field(() => Int)
  total: number;

  @Field(() => [ViolationCheck])
  checks: ViolationCheck[];

  @Field(() => [ComplianceViolation], { description: 'At most 500 findings per kind.' })
  violations: ComplianceViolation[];
}

// ---- records of processing (Art. 30) -----------------------------------------------------------

@ObjectType()
export class ProcessingDataCategory {
  @Field()
  category: string;
  @Field()
  description: string;
}

@ObjectType()
export class ProcessingTransfer {
  @Field()
  partnerId: string;
  @Field(() => ID)
  agreementId: string;
  @Field({ description: 'mutual, outbound or inbound.' })
  direction: string;
  @Field()
  safeguards: string;
}

@ObjectType({ description: 'One processing activity (one purpose) of the GDPR Art. 30 record.' })
export class ProcessingActivity {
  @Field()
  purpose: string;
  @Field()
  description: string;
  @Field()
  legalBasis: string;
  @Field(() => [String])
  categoriesOfDataSubjects: string[];
  @Field(() => [ProcessingDataCategory])
  categoriesOfData: ProcessingDataCategory[];
  @Field(() => [String], { description: 'Partners this node discloses data to.' })
  recipients: string[];
  @Field(() => [String], { description: 'Partners this node receives data from.' })
  sources: string[];
  @Field(() => [ProcessingTransfer])
  transfers: ProcessingTransfer[];
  @Field(() => Int, { nullable: true })
  retentionDays: number | null;
  @Field()
  retention: string;
  @Field(() => Int)
  consentsLive: number;
  @Field(() => Int)
  consentsWithdrawn: number;
  @Field(() => Int)
  consentsExpired: number;
}

@ObjectType()
export class LedgerKindCount {
  @Field()
  kind: string;
  @Field(() => Int)
  count: number;
}

@ObjectType({
  description: 'GDPR Art. 30 records of processing, generated from agreements, consents and the ledger.',
})
export class RecordsOfProcessing {
  @Field({ description: 'The controller: this partner.' })
  controller: string;
  @Field(() => String, { nullable: true })
  federationId: string | null;
  @Field()
  generatedAt: Date;
  @Field(() => [ProcessingActivity])
  activities: ProcessingActivity[];
  @Field(() => [String])
  securityMeasures: string[];
  @Field(() => Int)
  ledgerSize: number;
  @Field(() => [LedgerKindCount], { description: 'Ledger entries per kind.' })
  ledgerCounts: LedgerKindCount[];
}

// ---- access report (Art. 15) -------------------------------------------------------------------

@ObjectType({ description: 'Everything held and shared about a customer (GDPR Art. 15).' })
export class CustomerAccessReport {
  @Field(() => JSONScalar, { description: 'The report as one JSON document.' })
  json: Record<string, unknown>;

  @Field({ description: 'The same report as a readable, self-contained HTML page.' })
  html: string;
}

// ---- erasure (Art. 17) -------------------------------------------------------------------------

export enum ErasurePurgeStatus {
  REQUESTED = 'requested',
  CONFIRMED = 'confirmed',
  /** The consent was never registered with the federation: nothing was shared under it. */
  NOT_NEEDED = 'not_needed',
}
registerEnumType(ErasurePurgeStatus, { name: 'ErasurePurgeStatus' });

@ObjectType({ description: 'Per recipient of an erased customer’s consent: is the purge confirmed?' })
export class ErasureRecipient {
  @Field(() => ID)
  consentId: string;
  @Field()
  recipient: string;
  @Field(() => ErasurePurgeStatus)
  status: ErasurePurgeStatus;
  @Field(() => Int, { nullable: true })
  recordsPurged: number | null;
  @Field(() => String, { nullable: true, description: 'The signed purge receipt (compact JWS).' })
  receiptJws: string | null;
  @Field(() => Date, { nullable: true })
  confirmedAt: Date | null;
  @Field(() => String, { nullable: true })
  lastError: string | null;
}

@ObjectType({ description: 'The erasure of a customer at this node (GDPR Art. 17).' })
@Entity('erasure_request')
export class ErasureRequest {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @Field()
  @Column('text')
  reason: string;

  @Field(() => ID, { nullable: true })
  @Column('uuid', { nullable: true })
  requestedBy: string | null;

  @Field(() => [ID], { description: 'Every consent the customer gave here.' })
  @Column('uuid', { array: true })
  consentIds: string[];

  @Field(() => [ID], { description: 'The consents that were live and withdrawn by the erasure.' })
  @Column('uuid', { array: true })
  withdrawnConsentIds: string[];

  @Field(() => JSONScalar, { description: 'Rows erased per kind of data.' })
  @Column('jsonb')
  erased: Record<string, number>;

  @Field()
  @Column('timestamptz')
  requestedAt: Date;
}

@ObjectType()
export class ErasureRequestConnection extends Connection(ErasureRequest) {}

// ---- trust anchors for the browser's checks ----------------------------------------------------

@ObjectType({
  description: 'A membership statement signed by the federation (compact JWS), as this node verified it.',
})
export class TrustStatement {
  @Field(() => ID)
  partnerId: string;

  @Field()
  name: string;

  @Field({ description: 'Compact JWS (typ concordia-membership+jwt) signed by a federation key.' })
  statement: string;
}

@ObjectType({
  description:
    "What a browser needs to check this node's signatures without trusting the node: the federation's public keys (to compare with the ones the officer pinned) and the federation's signed membership statements, which vouch for each member's keys.",
})
export class ComplianceTrustAnchors {
  @Field(() => ID, { description: 'This node.' })
  partnerId: string;

  @Field(() => String, { nullable: true })
  federationId: string | null;

  @Field(() => String, { nullable: true })
  federationUrl: string | null;

  @Field(() => String, {
    description: "The federation's public keys as this node holds them: a JWKS, as JSON text.",
  })
  federationJwks: string;

  @Field(() => [String], { description: 'The federation kids this node pinned at first contact.' })
  federationKids: string[];

  @Field(() => [TrustStatement], { description: "This node's statement, then every verified member's." })
  statements: TrustStatement[];
}
