import { Module } from '@nestjs/common';
import { AgreementRecordsRepository } from './agreement-records.repository.js';

/** The agreements as the records of processing list them (AgreementRecordsRepository), on their own. */
@Module({ providers: [AgreementRecordsRepository], exports: [AgreementRecordsRepository] })
export class AgreementRecordsModule {}
