import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ErasureRecordsModule } from '../compliance/erasure-records.module.js';
import { UsersModule } from '../users/users.module.js';
import { Customer, CustomerEmail, CustomerPhone } from './customer.entity.js';
import { CustomersResolver } from './customers.resolver.js';
import { CustomersRepository } from './customers.repository.js';
import { CustomersService } from './customers.service.js';

/** Customers (people) with their e-mails and phones; exports CustomersService for other features. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Customer, CustomerEmail, CustomerPhone]),
    UsersModule,
    ErasureRecordsModule,
  ],
  providers: [CustomersRepository, CustomersService, CustomersResolver],
  exports: [CustomersService],
})
export class CustomersModule {}
