import { Module } from '@nestjs/common';
import { CustomerSubjectRepository } from './customer-subject.repository.js';

/** The customers module's statements about one data subject (CustomerSubjectRepository), on their own. */
@Module({ providers: [CustomerSubjectRepository], exports: [CustomerSubjectRepository] })
export class CustomerSubjectModule {}
