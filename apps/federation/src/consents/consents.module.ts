import { Module } from '@nestjs/common';
import { ConsentReadsRepository } from './consent-reads.repository.js';
import { ConsentsController } from './consents.controller.js';
import { ConsentsRepository } from './consents.repository.js';
import { ConsentsResolver } from './consents.resolver.js';
import { ConsentsService } from './consents.service.js';

/** The consent registry; exports its service (segment merges) and its reads for other modules (the relay). */
@Module({
  controllers: [ConsentsController],
  providers: [ConsentsService, ConsentsResolver, ConsentsRepository, ConsentReadsRepository],
  exports: [ConsentsService, ConsentReadsRepository],
})
export class ConsentsModule {}
