import { Module } from '@nestjs/common';
import { CareCaseSubjectRepository } from './care-case-subject.repository.js';

/** What other modules ask of the care cases about a customer (CareCaseSubjectRepository), on its own. */
@Module({ providers: [CareCaseSubjectRepository], exports: [CareCaseSubjectRepository] })
export class CareCaseSubjectModule {}
