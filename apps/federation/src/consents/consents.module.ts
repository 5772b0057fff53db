import { Module } from '@nestjs/common';
import { ConsentsController } from './consents.controller.js';
import { ConsentsResolver } from './consents.resolver.js';
import { ConsentsService } from './consents.service.js';

@Module({
  controllers: [ConsentsController],
  providers: [ConsentsService, ConsentsResolver],
  exports: [ConsentsService],
})
export class ConsentsModule {}
