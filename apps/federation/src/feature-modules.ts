import type { Type } from '@nestjs/common';
import { AgreementsModule } from './agreements/agreements.module.js';
import { ConsentsModule } from './consents/consents.module.js';
import { EventsModule } from './events/events.module.js';
import { IntakeModule } from './intake/intake.module.js';
import { KeysModule } from './keys/keys.module.js';
import { FederationLedgerModule } from './ledger/federation-ledger.module.js';
import { MembersModule } from './members/members.module.js';
import { MergesModule } from './merges/merges.module.js';
import { OperatorsModule } from './operators/operators.module.js';
import { RelayModule } from './relay/relay.module.js';

/** The federation's feature modules. */
export const FEATURE_MODULES: Type[] = [
  OperatorsModule,
  FederationLedgerModule,
  EventsModule,
  IntakeModule,
  KeysModule,
  MembersModule,
  AgreementsModule,
  ConsentsModule,
  RelayModule,
  MergesModule,
];
