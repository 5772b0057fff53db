import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { KeysModule } from '../keys/keys.module.js';
import { MembershipChangesService } from './membership-changes.service.js';
import { FederationPacer } from './federation-pacer.js';
import { DirectoryMember, NetworkMembership, NodeRefusal } from './network.entities.js';
import { DirectoryMemberResolver, NetworkResolver } from './network.resolver.js';
import { MembershipEvidenceRepository } from './membership-evidence.repository.js';
import { NetworkService } from './network.service.js';
import { RefusalsService } from './refusals.service.js';

/** Membership of the federation, the verified member directory, key rotation, refusals, the pace of windowed traffic. */
@Module({
  imports: [TypeOrmModule.forFeature([NetworkMembership, DirectoryMember, NodeRefusal]), KeysModule],
  providers: [
    NetworkService,
    MembershipChangesService,
    RefusalsService,
    FederationPacer,
    MembershipEvidenceRepository,
    NetworkResolver,
    DirectoryMemberResolver,
  ],
  exports: [
    NetworkService,
    MembershipChangesService,
    RefusalsService,
    FederationPacer,
    MembershipEvidenceRepository,
    KeysModule,
  ],
})
export class NetworkModule {}
