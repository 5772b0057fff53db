import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { AGREEMENT_RECORD_QUERIES } from './agreement-records.queries.js';

export interface AgreementRecordRow {
  agreement_id: string;
  partner_id: string;
  direction: string;
  party_a: string;
  state: string;
  purposes: string[];
  categories: string[];
  retention_days: number;
  valid_from: Date;
  valid_until: Date;
}

/** The agreements as the records of processing (GDPR Art. 30) list them: agreement-records.queries.ts. */
@Injectable()
export class AgreementRecordsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  forRecordsOfProcessing(runner: Queryable = this.dataSource): Promise<AgreementRecordRow[]> {
    return runNamed(runner, AGREEMENT_RECORD_QUERIES, 'forRecordsOfProcessing');
  }
}
