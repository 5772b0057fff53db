import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { API_PREFIX, type AgreementView, type AgreementsResponse } from '#federation-client';
import { Public } from '#platform/auth/allow.decorator';
import { AgreementBody, TransitionBody } from '../http/bodies.dto.js';
import { MessageIntake } from '../intake/message-intake.service.js';
import { AgreementsService } from './agreements.service.js';

const LIST_ROUTE = `GET ${API_PREFIX}/agreements`;

/** Agreements: proposals and transitions (signed messages), and each member's own list (request token). */
@Controller(`${API_PREFIX}/agreements`)
@Public()
export class AgreementsController {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly intake: MessageIntake,
  ) {}

  @Post()
  @HttpCode(201)
  propose(@Body() body: AgreementBody): Promise<AgreementView> {
    return this.agreements.propose(body.agreement, `POST ${API_PREFIX}/agreements`);
  }

  @Post(':agreementId/transitions')
  @HttpCode(200)
  transition(
    @Param('agreementId') agreementId: string,
    @Body() body: TransitionBody,
  ): Promise<AgreementView> {
    return this.agreements.transition(
      agreementId,
      body.transition,
      `POST ${API_PREFIX}/agreements/:agreementId/transitions`,
    );
  }

  @Get()
  async list(@Req() req: Request): Promise<AgreementsResponse> {
    const requester = await this.intake.authenticateRequest(
      req.headers.authorization,
      req.method,
      req.originalUrl,
      LIST_ROUTE,
    );
    const party = typeof req.query.party === 'string' ? req.query.party : requester;
    if (party !== requester) {
      throw await this.intake.forbid(
        'NOT_A_PARTY',
        'a member reads only its own agreements',
        requester,
        LIST_ROUTE,
      );
    }
    return { agreements: await this.agreements.listFor(party) };
  }
}
