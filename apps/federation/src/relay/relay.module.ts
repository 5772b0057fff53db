import { Module } from '@nestjs/common';
import { ConsentsModule } from '../consents/consents.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { RelayConsentsService } from './relay-consents.service.js';
import { RelayController } from './relay.controller.js';
import { RelayGateway } from './relay-gateway.js';
import { RelayLogRepository } from './relay-log.repository.js';
import { RelayService } from './relay.service.js';
import { RelayTrafficResolver, RelayTrafficService } from './relay-traffic.js';

/** The relay: history requests, share envelopes and withdrawals between members (metadata only). */
@Module({
  imports: [KeysModule, ConsentsModule],
  controllers: [RelayController],
  providers: [
    RelayGateway,
    RelayLogRepository,
    RelayService,
    RelayConsentsService,
    RelayTrafficService,
    RelayTrafficResolver,
  ],
})
export class RelayModule {}
