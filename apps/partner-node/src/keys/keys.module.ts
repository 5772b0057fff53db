import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NodeKey } from './node-key.entity.js';
import { KeysResolver } from './keys.resolver.js';
import { AgreementKeyDecryptor } from './agreement-key-decryptor.js';
import { KeysService } from './keys.service.js';

/** The node's signing and agreement keys, sealed at rest. Migration: CreateNodeKeys1700000004000. */
@Module({
  imports: [TypeOrmModule.forFeature([NodeKey])],
  providers: [KeysService, KeysResolver, AgreementKeyDecryptor],
  exports: [KeysService, AgreementKeyDecryptor],
})
export class KeysModule {}
