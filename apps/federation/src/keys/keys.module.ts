import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FederationKey } from './federation-key.entity.js';
import { FederationKeysService } from './federation-keys.service.js';
import { KeysResolver } from './keys.resolver.js';
import { WellKnownController } from './well-known.controller.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([FederationKey])],
  controllers: [WellKnownController],
  providers: [FederationKeysService, KeysResolver],
  exports: [FederationKeysService],
})
export class KeysModule {}
