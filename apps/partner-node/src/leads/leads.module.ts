import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomersModule } from '../customers/customers.module.js';
import { UsersModule } from '../users/users.module.js';
import { Lead } from './lead.entity.js';
import { LeadsResolver } from './leads.resolver.js';
import { LeadsService } from './leads.service.js';

/** Leads, scored and qualified, converted into customers. */
@Module({
  imports: [TypeOrmModule.forFeature([Lead]), UsersModule, CustomersModule],
  providers: [LeadsService, LeadsResolver],
  exports: [LeadsService],
})
export class LeadsModule {}
