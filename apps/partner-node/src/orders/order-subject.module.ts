import { Module } from '@nestjs/common';
import { OrderSubjectRepository } from './order-subject.repository.js';

/** The orders module's part of an erasure (OrderSubjectRepository), on its own. */
@Module({ providers: [OrderSubjectRepository], exports: [OrderSubjectRepository] })
export class OrderSubjectModule {}
