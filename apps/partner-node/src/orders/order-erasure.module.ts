import { Module } from '@nestjs/common';
import { OrderErasureRepository } from './order-erasure.repository.js';

/** The orders module's part of an erasure (OrderErasureRepository), on its own. */
@Module({ providers: [OrderErasureRepository], exports: [OrderErasureRepository] })
export class OrderErasureModule {}
