import { Module } from '@nestjs/common';
import { InteractionErasureRepository } from './interaction-erasure.repository.js';

/** The interactions module's part of an erasure (InteractionErasureRepository), on its own. */
@Module({ providers: [InteractionErasureRepository], exports: [InteractionErasureRepository] })
export class InteractionErasureModule {}
