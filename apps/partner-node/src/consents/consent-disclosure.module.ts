import { Module } from '@nestjs/common';
import { ConsentDisclosureRepository } from './consent-disclosure.repository.js';

/**
 * The consents module's reads for the compliance officer (ConsentDisclosureRepository), on their
 * own: no network, ledger or notices, so that the CLI's access report boots it cheaply.
 */
@Module({ providers: [ConsentDisclosureRepository], exports: [ConsentDisclosureRepository] })
export class ConsentDisclosureModule {}
