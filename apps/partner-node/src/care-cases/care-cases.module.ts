import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomersModule } from '../customers/customers.module.js';
import { UsersModule } from '../users/users.module.js';
import { CareCase } from './care-case.entity.js';
import { CareCasesResolver } from './care-cases.resolver.js';
import { CareCaseReasonsRepository } from './care-case-reasons.repository.js';
import { CareSatisfactionRepository } from './care-satisfaction.repository.js';
import { CareCasesService } from './care-cases.service.js';

/** Care cases with status life cycle and feedback (and its aggregates for the dashboard: CareSatisfactionRepository). `CareCase.interactions` is resolved by the interactions module. */
@Module({
  imports: [TypeOrmModule.forFeature([CareCase]), UsersModule, CustomersModule],
  providers: [CareCaseReasonsRepository, CareSatisfactionRepository, CareCasesService, CareCasesResolver],
  exports: [CareCasesService, CareCaseReasonsRepository, CareSatisfactionRepository],
})
export class CareCasesModule {}
