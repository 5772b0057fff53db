import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CareCasesModule } from '../care-cases/care-cases.module.js';
import { CustomersModule } from '../customers/customers.module.js';
import { UsersModule } from '../users/users.module.js';
import { Interaction } from './interaction.entity.js';
import { CareCaseInteractionsResolver, InteractionsResolver } from './interactions.resolver.js';
import { InteractionReasonsRepository } from './interaction-reasons.repository.js';
import { InteractionsService } from './interactions.service.js';

/** Interactions on every channel; also resolves `CareCase.interactions`. */
@Module({
  imports: [TypeOrmModule.forFeature([Interaction]), UsersModule, CustomersModule, CareCasesModule],
  providers: [
    InteractionReasonsRepository,
    InteractionsService,
    InteractionsResolver,
    CareCaseInteractionsResolver,
  ],
  exports: [InteractionsService, InteractionReasonsRepository],
})
export class InteractionsModule {}
