import type { Type } from '@nestjs/common';
import { CustomersModule } from './customers/customers.module.js';
import { CompaniesModule } from './companies/companies.module.js';
import { CareCasesModule } from './care-cases/care-cases.module.js';
import { InteractionsModule } from './interactions/interactions.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { LeadsModule } from './leads/leads.module.js';
import { TimelineModule } from './timeline/timeline.module.js';

/**
 * The CRM's feature modules (customers, companies, interactions…). Each is self-contained: its
 * entities, service, resolver and tests live side by side in its folder. Register new ones here.
 */
export const FEATURE_MODULES: Type[] = [
  CustomersModule,
  CompaniesModule,
  CareCasesModule,
  InteractionsModule,
  OrdersModule,
  LeadsModule,
  TimelineModule,
];
