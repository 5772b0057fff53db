import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeysModule } from '../keys/keys.module.js';
import { DirectoryMember, NetworkMembership, NodeRefusal } from './network.entities.js';
import { DirectoryMemberResolver, NetworkResolver } from './network.resolver.js';
import { NetworkService } from './network.service.js';
import { RefusalsService } from './refusals.service.js';

/** Membership of the federation, the verified member directory, key rotation, refusals. */
@Module({
  imports: [TypeOrmModule.forFeature([NetworkMembership, DirectoryMember, NodeRefusal]), KeysModule],
  providers: [NetworkService, RefusalsService, NetworkResolver, DirectoryMemberResolver],
  exports: [NetworkService, RefusalsService, KeysModule],
})
export class NetworkModule {}
