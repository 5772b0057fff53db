import { ApplicationKeysResolver } from './application-keys.resolver.js';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Member, MemberKey, MembershipApplication } from './member.entity.js';
import { MembersController } from './members.controller.js';
import { MemberKeyResolver, MembersResolver } from './members.resolver.js';
import { MembersService } from './members.service.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Member, MemberKey, MembershipApplication])],
  controllers: [MembersController],
  providers: [MembersService, MembersResolver, MemberKeyResolver, ApplicationKeysResolver],
  exports: [MembersService],
})
export class MembersModule {}
