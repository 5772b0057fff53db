import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomersModule } from '../customers/customers.module.js';
import {
  CompaniesResolver,
  CompanyMembershipResolver,
  CustomerCompaniesResolver,
} from './companies.resolver.js';
import { CompaniesService } from './companies.service.js';
import { Company, CompanyMembership } from './company.entity.js';

/** Companies (accounts) and the links of customers to them; adds Customer.companies. */
@Module({
  imports: [TypeOrmModule.forFeature([Company, CompanyMembership]), CustomersModule],
  providers: [CompaniesService, CompaniesResolver, CompanyMembershipResolver, CustomerCompaniesResolver],
  exports: [CompaniesService],
})
export class CompaniesModule {}
