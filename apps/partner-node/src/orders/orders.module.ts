import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomersModule } from '../customers/customers.module.js';
import { Order, OrderLine } from './order.entity.js';
import { OrderRfmRepository } from './order-rfm.repository.js';
import { OrderSalesService } from './order-sales.service.js';
import { OrdersResolver } from './orders.resolver.js';
import { OrdersService } from './orders.service.js';

/** Orders (sales history) with their lines and exact, server-computed totals, and their sales per month (OrderSalesService). */
@Module({
  imports: [TypeOrmModule.forFeature([Order, OrderLine]), CustomersModule],
  providers: [OrdersService, OrderSalesService, OrderRfmRepository, OrdersResolver],
  exports: [OrdersService, OrderSalesService, OrderRfmRepository],
})
export class OrdersModule {}
