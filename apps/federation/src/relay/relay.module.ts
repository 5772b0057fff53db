import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module.js';
import { RelayController } from './relay.controller.js';
import { RelayService } from './relay.service.js';
import { RelayTrafficResolver, RelayTrafficService } from './relay-traffic.js';

/** The relay: history requests, share envelopes and withdrawals between members (metadata only). */
@Module({
  imports: [KeysModule],
  controllers: [RelayController],
  providers: [RelayService, RelayTrafficService, RelayTrafficResolver],
})
export class RelayModule {}
