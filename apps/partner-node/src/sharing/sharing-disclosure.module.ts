import { Module } from '@nestjs/common';
import { SharingDisclosureRepository } from './sharing-disclosure.repository.js';

/**
 * The sharing module's reads about one customer for the compliance officer
 * (SharingDisclosureRepository), on their own: no relay, queue or outbox, so that the CLI's access
 * report boots it cheaply.
 */
@Module({ providers: [SharingDisclosureRepository], exports: [SharingDisclosureRepository] })
export class SharingDisclosureModule {}
