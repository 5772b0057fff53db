import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessageIntake } from './message-intake.service.js';
import { ReceivedMessagesRepository } from './received-messages.repository.js';
import { Refusal } from './refusal.entity.js';
import { RefusalsRepository } from './refusals.repository.js';
import { RefusalsResolver } from './refusals.resolver.js';

/** The one door for signed messages; other modules record refusals through RefusalsRepository. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Refusal])],
  providers: [MessageIntake, ReceivedMessagesRepository, RefusalsRepository, RefusalsResolver],
  exports: [MessageIntake, RefusalsRepository],
})
export class IntakeModule {}
