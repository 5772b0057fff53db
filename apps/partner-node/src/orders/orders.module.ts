import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomersModule } from '../customers/customers.module.js';
import { Order, OrderLine } from './order.entity.js';
import { OrdersResolver } from './orders.resolver.js';
import { OrdersService } from './orders.service.js';

/** Orders (sales history) with their lines and exact, server-computed totals. */
@Module({
  imports: [TypeOrmModule.forFeature([Order, OrderLine]), CustomersModule],
  providers: [OrdersService, OrdersResolver],
  exports: [OrdersService],
})
export class OrdersModule {}
