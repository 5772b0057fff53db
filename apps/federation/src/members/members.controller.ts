import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  API_PREFIX,
  type ApplicationResponse,
  type DirectoryEntry,
  type DirectoryResponse,
  type KeyRotationResponse,
} from '#federation-client';
import { Public } from '#platform/auth/allow.decorator';
import type { FederationConfig } from '../config.js';
import { Inject } from '@nestjs/common';
import { FEDERATION_CONFIG } from '../config.token.js';
import { ApplicationBody, KeyRotationBody } from '../http/bodies.dto.js';
import { DirectoryService } from './directory.service.js';
import { KeyRotationService } from './key-rotation.service.js';
import { MembersService } from './members.service.js';

/** The public directory, applications and key rotations. */
@Controller(API_PREFIX)
@Public()
export class MembersController {
  constructor(
    @Inject(FEDERATION_CONFIG) private readonly config: FederationConfig,
    private readonly members: MembersService,
    private readonly directoryService: DirectoryService,
    private readonly keyRotations: KeyRotationService,
  ) {}

  @Get('members')
  async directory(): Promise<DirectoryResponse> {
    return { federationId: this.config.federationId, members: await this.directoryService.directory() };
  }

  @Get('members/:partnerId')
  member(@Param('partnerId') partnerId: string): Promise<DirectoryEntry> {
    return this.directoryService.entry(partnerId);
  }

  @Post('applications')
  @HttpCode(202)
  apply(@Body() body: ApplicationBody): Promise<ApplicationResponse> {
    return this.members.apply(body.application, `POST ${API_PREFIX}/applications`);
  }

  @Get('applications/:applicationId')
  application(@Param('applicationId') applicationId: string): Promise<ApplicationResponse> {
    return this.members.application(applicationId);
  }

  @Post('members/:partnerId/key-rotations')
  @HttpCode(200)
  async rotate(
    @Param('partnerId') partnerId: string,
    @Body() body: KeyRotationBody,
  ): Promise<KeyRotationResponse> {
    const member = await this.keyRotations.rotateKeys(
      partnerId,
      body.announcement,
      `POST ${API_PREFIX}/members/:partnerId/key-rotations`,
    );
    return { member };
  }
}
