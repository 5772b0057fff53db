import { Module } from '@nestjs/common';
import { InteractionSubjectRepository } from './interaction-subject.repository.js';

/** The interactions module's part of an erasure (InteractionSubjectRepository), on its own. */
@Module({ providers: [InteractionSubjectRepository], exports: [InteractionSubjectRepository] })
export class InteractionSubjectModule {}
