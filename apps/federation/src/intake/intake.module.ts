import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessageIntake } from './message-intake.service.js';
import { Refusal } from './refusal.entity.js';
import { RefusalsResolver } from './refusals.resolver.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Refusal])],
  providers: [MessageIntake, RefusalsResolver],
  exports: [MessageIntake],
})
export class IntakeModule {}
