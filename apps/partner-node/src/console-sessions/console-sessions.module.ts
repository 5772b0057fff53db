import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module.js';
import { ConsoleSession } from './console-session.entity.js';
import { ConsoleSessionsController } from './console-sessions.controller.js';
import { ConsoleSessionsService } from './console-sessions.service.js';

/** Web console sign-in: sessions held in an httpOnly cookie, renewing short access tokens (/auth/*). */
@Module({
  imports: [TypeOrmModule.forFeature([ConsoleSession]), UsersModule],
  controllers: [ConsoleSessionsController],
  providers: [ConsoleSessionsService],
})
export class ConsoleSessionsModule {}
