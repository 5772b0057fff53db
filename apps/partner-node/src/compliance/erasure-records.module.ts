import { Module } from '@nestjs/common';
import { ErasureRecordsRepository } from './erasure-records.repository.js';

/**
 * What other modules ask of the erasures (ErasureRecordsRepository), on its own: the customers
 * module imports it without importing compliance (which imports customers' readers).
 */
@Module({ providers: [ErasureRecordsRepository], exports: [ErasureRecordsRepository] })
export class ErasureRecordsModule {}
