import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Agreement, AgreementMessage } from './agreement.entity.js';
import { AgreementsController } from './agreements.controller.js';
import { AgreementsResolver } from './agreements.resolver.js';
import { AgreementsService } from './agreements.service.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Agreement, AgreementMessage])],
  controllers: [AgreementsController],
  providers: [AgreementsService, AgreementsResolver],
  exports: [AgreementsService],
})
export class AgreementsModule {}
