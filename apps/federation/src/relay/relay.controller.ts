import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { BatchedRecord } from '#protocol';
import { Public } from '#platform/auth/allow.decorator';
import { MessageIntake } from '../intake/message-intake.service.js';
import {
  RELAY_PATHS,
  type ConsentStatusResponse,
  type HistoryResponse,
  type NodeEnvelopeAnswer,
  type WithdrawalRelayResponse,
} from '#federation-client';
import {
  RELAY_BODY,
  consentStatusBodySchema,
  envelopeRelayBodySchema,
  historyRequestBodySchema,
  withdrawalRelayBodySchema,
} from '#federation-client';
import { readJsonBody } from '#platform/http/json-body';
import { RelayConsentsService } from './relay-consents.service.js';
import { RelayService } from './relay.service.js';

/**
 * The relay's routes. Every call is authenticated with the member's request token
 * (`Authorization: Concordia …`, bound to method and path, used once); what it carries is signed
 * by its origin and checked again by its recipient.
 */
@Controller()
@Public()
export class RelayController {
  constructor(
    private readonly relay: RelayService,
    private readonly consents: RelayConsentsService,
    private readonly intake: MessageIntake,
  ) {}

  private requester(req: Request, path: string): Promise<string> {
    return this.intake.authenticateRequest(
      req.headers.authorization,
      req.method,
      req.originalUrl,
      `POST ${path}`,
    );
  }

  @Post(RELAY_PATHS.historyRequests)
  @HttpCode(200)
  async history(@Req() req: Request): Promise<HistoryResponse> {
    const requester = await this.requester(req, RELAY_PATHS.historyRequests);
    return this.relay.history(requester, await readJsonBody(req, historyRequestBodySchema, RELAY_BODY));
  }

  @Post(RELAY_PATHS.envelopes)
  @HttpCode(200)
  async envelope(@Req() req: Request): Promise<NodeEnvelopeAnswer> {
    const sender = await this.requester(req, RELAY_PATHS.envelopes);
    const body = await readJsonBody(req, envelopeRelayBodySchema, RELAY_BODY);
    return this.relay.envelope(
      sender,
      {
        envelope: body.envelope,
        ...(body.items ? { items: body.items as BatchedRecord[] } : {}),
        ...(body.sealedRecords ? { sealedRecords: body.sealedRecords } : {}),
      },
      `POST ${RELAY_PATHS.envelopes}`,
    );
  }

  @Post(RELAY_PATHS.withdrawals)
  @HttpCode(200)
  async withdrawal(@Req() req: Request): Promise<WithdrawalRelayResponse> {
    const sender = await this.requester(req, RELAY_PATHS.withdrawals);
    return this.consents.withdrawal(
      sender,
      await readJsonBody(req, withdrawalRelayBodySchema, RELAY_BODY),
      `POST ${RELAY_PATHS.withdrawals}`,
    );
  }

  @Post(RELAY_PATHS.consentStatus)
  @HttpCode(200)
  async consentStatus(@Req() req: Request): Promise<ConsentStatusResponse> {
    const requester = await this.requester(req, RELAY_PATHS.consentStatus);
    return this.consents.consentStatus(
      requester,
      await readJsonBody(req, consentStatusBodySchema, RELAY_BODY),
    );
  }
}
