import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import {
  API_PREFIX,
  type ConsentBatchResponse,
  type ConsentCheckResponse,
  type ConsentView,
} from '#federation-client';
import { Public } from '#platform/auth/allow.decorator';
import { ConsentBatchBody, ConsentBody, ConsentCheckBody, WithdrawalBody } from '../http/bodies.dto.js';
import { MessageIntake } from '../intake/message-intake.service.js';
import { ConsentsService } from './consents.service.js';

const CHECK_ROUTE = `POST ${API_PREFIX}/consents/check`;

/** The consent registry: per-recipient registrations and withdrawals (signed messages), and the live-consent check (request token). */
@Controller(`${API_PREFIX}/consents`)
@Public()
export class ConsentsController {
  constructor(
    private readonly consents: ConsentsService,
    private readonly intake: MessageIntake,
  ) {}

  @Post()
  @HttpCode(201)
  register(@Body() body: ConsentBody): Promise<ConsentView> {
    return this.consents.register(body.registration, `POST ${API_PREFIX}/consents`);
  }

  /** One agreement pair's batch of registrations, each verified and refused on its own. */
  @Post('batch')
  @HttpCode(200)
  async registerBatch(@Body() body: ConsentBatchBody): Promise<ConsentBatchResponse> {
    return {
      results: await this.consents.registerMany(body.registrations, `POST ${API_PREFIX}/consents/batch`),
    };
  }

  @Post('check')
  @HttpCode(200)
  async check(@Req() req: Request, @Body() body: ConsentCheckBody): Promise<ConsentCheckResponse> {
    const requester = await this.intake.authenticateRequest(
      req.headers.authorization,
      req.method,
      req.originalUrl,
      CHECK_ROUTE,
    );
    if (requester !== body.recipient && requester !== body.controller) {
      throw await this.intake.forbid(
        'NOT_A_PARTY',
        'only the recipient, or the controller naming itself, may check a consent',
        requester,
        CHECK_ROUTE,
      );
    }
    return this.consents.check(body);
  }

  @Post(':consentId/withdrawal')
  @HttpCode(200)
  withdraw(@Param('consentId') consentId: string, @Body() body: WithdrawalBody): Promise<ConsentView> {
    return this.consents.withdraw(
      consentId,
      body.withdrawal,
      `POST ${API_PREFIX}/consents/:consentId/withdrawal`,
    );
  }
}
