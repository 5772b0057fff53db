import { Module } from '@nestjs/common';
import { CareCasesModule } from '../care-cases/care-cases.module.js';
import { CustomersModule } from '../customers/customers.module.js';
import { InteractionsModule } from '../interactions/interactions.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { TimelineResolver } from './timeline.resolver.js';
import { TimelineService } from './timeline.service.js';

/** The customer timeline across interactions, care cases and orders (later: partners' shared history). */
@Module({
  imports: [CustomersModule, InteractionsModule, CareCasesModule, OrdersModule],
  providers: [TimelineService, TimelineResolver],
  exports: [TimelineService],
})
export class TimelineModule {}
