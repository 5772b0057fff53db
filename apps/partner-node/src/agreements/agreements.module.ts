import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomersModule } from '../customers/customers.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { NetworkModule } from '../network/network.module.js';
import { AgreementMirror } from './agreement-mirror.service.js';
import { SharingAgreement } from './agreement.entity.js';
import { AgreementsRepository } from './agreements.repository.js';
import { AgreementsResolver } from './agreements.resolver.js';
import { AgreementsService } from './agreements.service.js';

/** Sharing agreements (local mirror of signed chains) and their pseudonym keys. */
@Module({
  imports: [TypeOrmModule.forFeature([SharingAgreement]), NetworkModule, LedgerModule, CustomersModule],
  providers: [AgreementsService, AgreementMirror, AgreementsRepository, AgreementsResolver],
  exports: [AgreementsService, AgreementsRepository],
})
export class AgreementsModule {}
