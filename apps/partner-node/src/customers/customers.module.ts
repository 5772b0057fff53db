import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ErasureRecordsModule } from '../compliance/erasure-records.module.js';
import { UsersModule } from '../users/users.module.js';
import { Customer, CustomerEmail, CustomerPhone } from './customer.entity.js';
import { CustomerIdentifiersRepository } from './customer-identifiers.repository.js';
import { CustomerReferencesRepository } from './customer-references.repository.js';
import { CustomersResolver } from './customers.resolver.js';
import { CustomersRepository } from './customers.repository.js';
import { CustomersService } from './customers.service.js';

/**
 * Customers (people) with their e-mails and phones; exports CustomersService for other features,
 * and the reads other modules make of its tables (CustomerIdentifiersRepository,
 * CustomerReferencesRepository).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Customer, CustomerEmail, CustomerPhone]),
    UsersModule,
    ErasureRecordsModule,
  ],
  providers: [
    CustomersRepository,
    CustomersService,
    CustomersResolver,
    CustomerIdentifiersRepository,
    CustomerReferencesRepository,
  ],
  exports: [CustomersService, CustomerIdentifiersRepository, CustomerReferencesRepository],
})
export class CustomersModule {}
