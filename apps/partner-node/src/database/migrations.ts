/**
 * Every migration of the partner node, in order. The schema changes only through these
 * (`synchronize` is never on). Add a module's migrations here when you create them.
 */
import { Extensions1700000000000 } from './migrations/1700000000000-extensions.js';
import { CreateUsers1700000000100 } from '../users/migrations/1700000000100-create-users.js';
import { CreateCustomers1700000001000 } from '../customers/migrations/1700000001000-create-customers.js';
import { SearchNearestNames1700000001200 } from '../customers/migrations/1700000001200-search-nearest-names.js';
import { SearchNameTerms1700000001250 } from '../customers/migrations/1700000001250-search-name-terms.js';
import { SearchNameVariants1700000010400 } from '../customers/migrations/1700000010400-search-name-variants.js';
import { SearchNameMatches1700000010410 } from '../customers/migrations/1700000010410-search-name-matches.js';
import { SearchCustomerHits1700000010900 } from '../customers/migrations/1700000010900-search-customer-hits.js';
import { CreateCompanies1700000001100 } from '../companies/migrations/1700000001100-create-companies.js';
import { LEDGER_MIGRATIONS } from '#ledger';
import { ConsentSummaryUpdates1700000009900 } from '../consents/migrations/1700000009900-consent-summary-updates.js';
import { ConsentInsertCheaper1700000010700 } from '../consents/migrations/1700000010700-consent-insert-cheaper.js';
import { ConsentReceiptGuardColumns1700000010800 } from '../consents/migrations/1700000010800-consent-receipt-guard-columns.js';
import { LedgerConsentIndexJson1700000009910 } from '../compliance/migrations/1700000009910-ledger-consent-index-json.js';
import { CreateNodeLedger1700000005100 } from '../ledger/migrations/1700000005100-create-node-ledger.js';
import { FederationCheckpointAlerts1700000005200 } from '../ledger/migrations/1700000005200-federation-checkpoint-alerts.js';
import { CreateCareCases1700000002000 } from '../care-cases/migrations/1700000002000-create-care-cases.js';
import { CreateInteractions1700000002100 } from '../interactions/migrations/1700000002100-create-interactions.js';
import { CreateOrders1700000002200 } from '../orders/migrations/1700000002200-create-orders.js';
import { CreateLeads1700000002300 } from '../leads/migrations/1700000002300-create-leads.js';
import { CreateSegments1700000006000 } from '../segments/migrations/1700000006000-create-segments.js';
import { CreateCampaigns1700000006100 } from '../campaigns/migrations/1700000006100-create-campaigns.js';
import { CreateSegmentMerges1700000006200 } from '../segment-merges/migrations/1700000006200-create-segment-merges.js';
import { CreateNodeKeys1700000004000 } from '../keys/migrations/1700000004000-create-node-keys.js';
import { CreateNetwork1700000004100 } from '../network/migrations/1700000004100-create-network.js';
import { CreateSharingAgreements1700000004200 } from '../agreements/migrations/1700000004200-create-sharing-agreements.js';
import { CreatePrivacyNotices1700000004300 } from '../privacy-notices/migrations/1700000004300-create-privacy-notices.js';
import { FederationKeyRetirements1700000004110 } from '../network/migrations/1700000004110-federation-key-retirements.js';
import { CreateConsents1700000004400 } from '../consents/migrations/1700000004400-create-consents.js';
import { CreateConsentRegistrations1700000004500 } from '../consents/migrations/1700000004500-create-consent-registrations.js';
import { CreateSharing1700000007000 } from '../sharing/migrations/1700000007000-create-sharing.js';
import { NotifyShareOutbox1700000007100 } from '../sharing/migrations/1700000007100-notify-share-outbox.js';
import { CreateShareEvidence1700000007200 } from '../sharing/migrations/1700000007200-create-share-evidence.js';
import { CreatePullReasons1700000007300 } from '../sharing/migrations/1700000007300-create-pull-reasons.js';
import { PushWindows1700000009200 } from '../sharing/migrations/1700000009200-push-windows.js';
import { OrderSalesByMonth1700000009300 } from '../orders/migrations/1700000009300-order-sales-by-month.js';
import { FederationPace1700000009100 } from '../network/migrations/1700000009100-federation-pace.js';
import { CreateCompliance1700000008000 } from '../compliance/migrations/1700000008000-create-compliance.js';
import { AggregatedRefusals1700000004120 } from '../network/migrations/1700000004120-aggregated-refusals.js';
import { RfmSnapshots1700000009600 } from '../statistics/migrations/1700000009600-rfm-snapshots.js';
import { SearchNameKey1700000010100 } from '../customers/migrations/1700000010100-search-name-key.js';
import { SearchGinPendingList1700000010000 } from '../customers/migrations/1700000010000-search-gin-pending-list.js';
import { SentRecordRefs1700000009800 } from '../sharing/migrations/1700000009800-sent-record-refs.js';
import { HeldCopyAuditIndexes1700000010200 } from '../sharing/migrations/1700000010200-held-copy-audit-indexes.js';
import { SerialDisclosureReads1700000010210 } from '../sharing/migrations/1700000010210-serial-disclosure-reads.js';
import { CreateConsoleSessions1700000009000 } from '../console-sessions/migrations/1700000009000-create-console-sessions.js';

export const PARTNER_NODE_MIGRATIONS = [
  Extensions1700000000000,
  CreateUsers1700000000100,
  CreateCustomers1700000001000,
  CreateCompanies1700000001100,
  SearchNearestNames1700000001200,
  SearchNameTerms1700000001250,
  CreateCareCases1700000002000,
  CreateInteractions1700000002100,
  CreateOrders1700000002200,
  CreateLeads1700000002300,
  CreateNodeKeys1700000004000,
  CreateNetwork1700000004100,
  FederationKeyRetirements1700000004110,
  AggregatedRefusals1700000004120,
  CreateSharingAgreements1700000004200,
  CreatePrivacyNotices1700000004300,
  CreateConsents1700000004400,
  CreateConsentRegistrations1700000004500,
  ...LEDGER_MIGRATIONS,
  CreateNodeLedger1700000005100,
  FederationCheckpointAlerts1700000005200,
  CreateSegments1700000006000,
  CreateCampaigns1700000006100,
  CreateSegmentMerges1700000006200,
  CreateSharing1700000007000,
  NotifyShareOutbox1700000007100,
  CreateShareEvidence1700000007200,
  CreatePullReasons1700000007300,
  CreateCompliance1700000008000,
  CreateConsoleSessions1700000009000,
  FederationPace1700000009100,
  PushWindows1700000009200,
  OrderSalesByMonth1700000009300,
  RfmSnapshots1700000009600,
  SentRecordRefs1700000009800,
  ConsentSummaryUpdates1700000009900,
  LedgerConsentIndexJson1700000009910,
  SearchGinPendingList1700000010000,
  SearchNameKey1700000010100,
  HeldCopyAuditIndexes1700000010200,
  SerialDisclosureReads1700000010210,
  SearchNameVariants1700000010400,
  SearchNameMatches1700000010410,
  ConsentInsertCheaper1700000010700,
  ConsentReceiptGuardColumns1700000010800,
  SearchCustomerHits1700000010900,
];
