import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsResolver } from './events.resolver.js';
import { EventsService } from './events.service.js';
import { FederationEvent } from './federation-event.entity.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([FederationEvent])],
  providers: [EventsService, EventsResolver],
  exports: [EventsService],
})
export class EventsModule {}
