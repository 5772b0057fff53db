import { Module } from '@nestjs/common';
import { ConsentReadsRepository } from './consent-reads.repository.js';

/**
 * The consent registry's reads for other modules (the relay): ConsentReadsRepository. A module of
 * its own so that its readers need not import ConsentsModule (the registration services).
 */
@Module({
  providers: [ConsentReadsRepository],
  exports: [ConsentReadsRepository],
})
export class ConsentReadsModule {}
