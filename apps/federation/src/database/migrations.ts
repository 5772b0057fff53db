/** Every migration of the federation's own database, in order. The schema changes only through these. */
import { CreateOperators1710000000100 } from '../operators/migrations/1710000000100-create-operators.js';
import { CreateFederationKeys1710000000200 } from '../keys/migrations/1710000000200-create-federation-keys.js';
import { CreateFederationEvents1710000000300 } from '../events/migrations/1710000000300-create-federation-events.js';
import { CreateIntake1710000000400 } from '../intake/migrations/1710000000400-create-intake.js';
import { CreateMembers1710000000500 } from '../members/migrations/1710000000500-create-members.js';
import { CreateAgreements1710000000600 } from '../agreements/migrations/1710000000600-create-agreements.js';
import { CreateConsents1710000000700 } from '../consents/migrations/1710000000700-create-consents.js';
import { PerRecipientRegistrations1710000000710 } from '../consents/migrations/1710000000710-per-recipient-registrations.js';
import { LEDGER_MIGRATIONS } from '#ledger';
import { CreateFederationLedger1710000000800 } from '../ledger/migrations/1710000000800-create-federation-ledger.js';
import { CreateSegmentMerges1710000000900 } from '../merges/migrations/1710000000900-create-segment-merges.js';
import { CreateRelay1800000007000 } from '../relay/migrations/1800000007000-create-relay.js';
import { AnnounceFederationKeys1710000001000 } from '../keys/migrations/1710000001000-announce-federation-keys.js';
import { CreateOperatorConsoleSessions1800000008000 } from '../operators/migrations/1800000008000-create-operator-console-sessions.js';
import { AggregatedRefusals1710000000410 } from '../intake/migrations/1710000000410-aggregated-refusals.js';
import { RegistrationMessageOnce1800000008100 } from '../consents/migrations/1800000008100-registration-message-once.js';
import { NoExpiryIndex1800000008110 } from '../intake/migrations/1800000008110-no-expiry-index.js';

export const FEDERATION_MIGRATIONS: (new () => unknown)[] = [
  CreateOperators1710000000100,
  CreateFederationKeys1710000000200,
  CreateFederationEvents1710000000300,
  CreateIntake1710000000400,
  AggregatedRefusals1710000000410,
  CreateMembers1710000000500,
  CreateAgreements1710000000600,
  CreateConsents1710000000700,
  PerRecipientRegistrations1710000000710,
  ...LEDGER_MIGRATIONS,
  CreateFederationLedger1710000000800,
  CreateSegmentMerges1710000000900,
  AnnounceFederationKeys1710000001000,
  CreateRelay1800000007000,
  CreateOperatorConsoleSessions1800000008000,
  RegistrationMessageOnce1800000008100,
  NoExpiryIndex1800000008110,
];
