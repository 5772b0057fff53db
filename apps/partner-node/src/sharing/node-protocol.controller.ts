import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ProtocolError, verifyJwt } from '#protocol';
import { Public } from '#platform/auth/allow.decorator';
import { RefusedMessageError } from '#platform/errors/app-errors';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { NetworkService } from '../network/network.service.js';
import { RefusalsService } from '../network/refusals.service.js';
import {
  NODE_PATHS,
  RELAY_AUTHORIZATION_SCHEME,
  RELAY_TOKEN_TYP,
  bodyHash,
  relayTokenClaimsSchema,
  type NodeEnvelopeAnswer,
  type NodeHistoryAnswer,
  type NodeWithdrawalAnswer,
  type RelayTokenClaims,
} from '#federation-client';
import {
  RELAY_BODY,
  envelopeRelayBodySchema,
  nodeHistoryRequestSchema,
  withdrawalRelayBodySchema,
} from '#federation-client';
import { readJsonBody } from '#platform/http/json-body';
import { EnvelopeReceiver } from './envelope-receiver.service.js';
import { HolderService } from './holder.service.js';
import { PurgeService } from './purge.service.js';

/** The node's protocol endpoint is its registered `endpoint`, i.e. `<base URL>/concordia`. */
export const NODE_ENDPOINT_PREFIX = 'concordia';

/**
 * What the federation relay calls on this node. Every call carries a relay token signed by the
 * federation (pinned keys), addressed to this node, bound to the path and the body's hash, used
 * once; the messages inside are verified again on their own (signed by their origin member).
 */
@Controller(NODE_ENDPOINT_PREFIX)
@Public()
export class NodeProtocolController {
  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly network: NetworkService,
    private readonly refusals: RefusalsService,
    private readonly holder: HolderService,
    private readonly receiver: EnvelopeReceiver,
    private readonly purges: PurgeService,
  ) {}

  @Post(NODE_PATHS.historyRequests.slice(1))
  @HttpCode(200)
  async history(@Req() req: Request): Promise<NodeHistoryAnswer> {
    const { relay, body } = await this.authenticated(
      req,
      NODE_PATHS.historyRequests,
      nodeHistoryRequestSchema,
    );
    if (relay.from !== body.requester) {
      throw new RefusedMessageError('REQUEST_MISMATCH', 'the request names another requester than the relay');
    }
    return this.holder.answerHistory(body);
  }

  @Post(NODE_PATHS.envelopes.slice(1))
  @HttpCode(200)
  async envelope(@Req() req: Request): Promise<NodeEnvelopeAnswer> {
    const { relay, body } = await this.authenticated(req, NODE_PATHS.envelopes, envelopeRelayBodySchema);
    const received = await this.receiver.receive(body.envelope, {
      source: 'push',
      expectedIssuer: relay.from,
      ...(body.sealedRecords ? { sealedRecords: body.sealedRecords } : {}),
    });
    return { envelopeId: received.envelopeId, stored: received.stored, duplicate: false };
  }

  @Post(NODE_PATHS.withdrawals.slice(1))
  @HttpCode(200)
  async withdrawal(@Req() req: Request): Promise<NodeWithdrawalAnswer> {
    const { relay, body } = await this.authenticated(req, NODE_PATHS.withdrawals, withdrawalRelayBodySchema);
    return this.purges.handleWithdrawal(body.withdrawal, relay.from);
  }

  /**
   * The relay token is checked before the body is read (an anonymous caller cannot make the node
   * read and parse megabytes); then the body is read, bound to the token by its hash, and the
   * token's id used up.
   */
  private async authenticated<T>(
    req: Request,
    path: string,
    schema: z.ZodType<T>,
  ): Promise<{ relay: RelayTokenClaims; body: T }> {
    const relay = await this.authenticate(req, path);
    const body = await readJsonBody(req, schema, RELAY_BODY);
    await this.refusing(req, async () => {
      if (relay.bodyHash !== bodyHash(body)) {
        throw new RefusedMessageError('REQUEST_MISMATCH', 'the relay token is bound to another request');
      }
      const fresh: unknown[] = await this.dataSource.query(
        `INSERT INTO received_envelope (issuer, jti, kind, expires_at) VALUES ($1, $2, 'relay', to_timestamp($3))
         ON CONFLICT DO NOTHING RETURNING 1`,
        [relay.iss, relay.jti, relay.exp],
      );
      if (fresh.length === 0) throw new ProtocolError('REPLAYED', 'relay token already used');
    });
    return { relay, body };
  }

  private authenticate(req: Request, path: string): Promise<RelayTokenClaims> {
    return this.refusing(req, async (token) => {
      if (token === undefined)
        throw new RefusedMessageError(
          'MISSING_CREDENTIALS',
          `send "Authorization: ${RELAY_AUTHORIZATION_SCHEME} …"`,
        );
      const { claims } = await this.network.withFederationKeys((anchor) =>
        verifyJwt(token, anchor.resolveKey, {
          typ: RELAY_TOKEN_TYP,
          audience: this.config.partnerId,
          issuer: anchor.federationId,
        }),
      );
      const parsed = relayTokenClaimsSchema.safeParse(claims);
      if (!parsed.success)
        throw new ProtocolError('INVALID_CLAIMS', `relay token: ${z.prettifyError(parsed.error)}`);
      if (parsed.data.htu !== path) {
        throw new RefusedMessageError('REQUEST_MISMATCH', 'the relay token is bound to another request');
      }
      return parsed.data;
    });
  }

  /** Runs a check of the relay token; its refusals are recorded (aggregated when the caller is anonymous). */
  private async refusing<T>(req: Request, check: (token: string | undefined) => Promise<T>): Promise<T> {
    const match = new RegExp(`^${RELAY_AUTHORIZATION_SCHEME}\\s+(\\S+)$`, 'i').exec(
      req.headers.authorization ?? '',
    );
    const token = match?.[1];
    try {
      return await check(token);
    } catch (error) {
      throw await this.refusals.refuse(error, 'relay-request', 'sharing-relay', token ?? '', {
        inbound: true,
      });
    }
  }
}
