import { ApplicationKeysResolver } from './application-keys.resolver.js';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryService } from './directory.service.js';
import { KeyRotationService } from './key-rotation.service.js';
import { Member, MemberKey, MembershipApplication } from './member.entity.js';
import { MembersController } from './members.controller.js';
import { MembersRepository } from './members.repository.js';
import { MemberKeyResolver, MembersResolver } from './members.resolver.js';
import { MembersService } from './members.service.js';
import { MembershipStatements } from './membership-statements.js';

/** Members and their keys; other modules read `member` and `member_key` through MembersRepository. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Member, MemberKey, MembershipApplication])],
  controllers: [MembersController],
  providers: [
    MembersService,
    MembershipStatements,
    DirectoryService,
    KeyRotationService,
    MembersRepository,
    MembersResolver,
    MemberKeyResolver,
    ApplicationKeysResolver,
  ],
  exports: [MembersService, MembersRepository],
})
export class MembersModule {}
