import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Operator } from './operator.entity.js';
import { OperatorsResolver } from './operators.resolver.js';
import { OperatorsService } from './operators.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Operator])],
  providers: [OperatorsService, OperatorsResolver],
  exports: [OperatorsService],
})
export class OperatorsModule {}
