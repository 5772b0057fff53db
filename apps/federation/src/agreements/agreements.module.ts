import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Agreement, AgreementMessage } from './agreement.entity.js';
import { AgreementsController } from './agreements.controller.js';
import { AgreementsRepository } from './agreements.repository.js';
import { AgreementsResolver } from './agreements.resolver.js';
import { AgreementsService } from './agreements.service.js';

/** Agreements and their signed chains; other modules read them through AgreementsRepository. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Agreement, AgreementMessage])],
  controllers: [AgreementsController],
  providers: [AgreementsService, AgreementsRepository, AgreementsResolver],
  exports: [AgreementsService, AgreementsRepository],
})
export class AgreementsModule {}
