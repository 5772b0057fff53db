import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { jwsHash, unverifiedJwsPart } from '#protocol';
import type {
  ConsentBatchItem,
  ConsentCheckRequest,
  ConsentCheckResponse,
  ConsentView,
} from '#federation-client';
import { AppError, RefusedMessageError } from '#platform/errors/app-errors';
import { EventsService } from '../events/events.service.js';
import { hashedMessage } from '../ledger/ledger-messages.repository.js';
import { MessageIntake } from '../intake/message-intake.service.js';
import { refusedItem, registrationRefusal, type RegistrationClaims } from './consent-checks.js';
import { ConsentsRepository } from './consents.repository.js';

/**
 * The consent registry: per-recipient registrations signed by their controllers, indexed by
 * subject token only. A row (`consent`) is one registration: one controller, one recipient, one
 * agreement; `consent_id` is the registration's own id. Its statements are the consents
 * repository's; members and agreements are read through their owners' repositories.
 */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly registry: ConsentsRepository,
    private readonly intake: MessageIntake,
    private readonly events: EventsService,
  ) {}

  /**
   * Why each registration is refused (undefined: accepted), checked as one batch in one statement
   * whatever its size: ids taken in the registry, recipients in good standing (the members'
   * rule), agreements that let the controller share with the recipient (the agreements' rule).
   */
  private async refusals(
    claims: readonly RegistrationClaims[],
    m: EntityManager,
  ): Promise<(AppError | undefined)[]> {
    const facts = await this.registry.registrationFacts(claims, m);
    return claims.map((c) => registrationRefusal(c, facts));
  }

  /**
   * Registers one recipient's registration of a consent (issue 16): the controller sends one per
   * recipient, each with its own id and only the tokens under that recipient's agreement, so that
   * nothing here joins a customer's registrations under two agreements.
   */
  register(jws: string, route: string): Promise<ConsentView> {
    return this.intake.accept(
      'consent-registration',
      jws,
      { route, audience: 'if-present' },
      async ({ claims }, m) => {
        const [refusal] = await this.refusals([claims], m);
        if (refusal) throw refusal;
        const { controller, recipient, agreementId } = claims;
        const message = hashedMessage(jws);
        const registeredAt = await this.registry.insert(claims, message.hash, m);
        await this.events.append(
          m,
          'consent.registered',
          claims.registrationId,
          {
            controller,
            recipients: [recipient],
            agreementId,
            purposes: claims.purposes,
            categories: claims.categories,
            validFrom: claims.validFrom,
            validUntil: claims.validUntil,
            messageHash: message.hash,
          },
          { signed: [message] },
        );
        return {
          consentId: claims.registrationId,
          controller,
          status: 'registered',
          registeredAt: Math.floor(registeredAt.getTime() / 1000),
        };
      },
    );
  }

  /**
   * Registers one agreement pair's batch of registrations: each message is verified, checked and
   * refused on its own exactly as `register` does (same rules, same refusal reasons, recorded),
   * and the accepted ones are stored in one transaction with set-based statements. Each stored
   * row keeps a time of its own (clock_timestamp), as one registration at a time would have.
   */
  async registerMany(jwss: readonly string[], route: string): Promise<ConsentBatchItem[]> {
    const results = await this.intake.acceptMany(
      'consent-registration',
      jwss,
      { route, audience: 'if-present' },
      {
        check: (verified, m) =>
          this.refusals(
            verified.map((v) => v.claims),
            m,
          ),
        write: async (verified, m) => {
          const claims = verified.map((v) => v.claims);
          const messages = verified.map((v) => hashedMessage(v.jws));
          const registeredAt = await this.registry.insertMany(
            claims,
            messages.map((message) => message.hash),
            m,
          );
          await this.events.appendMany(
            m,
            claims.map((c, i) => ({
              type: 'consent.registered' as const,
              subject: c.registrationId,
              body: {
                controller: c.controller,
                recipients: [c.recipient],
                agreementId: c.agreementId,
                purposes: c.purposes,
                categories: c.categories,
                validFrom: c.validFrom,
                validUntil: c.validUntil,
                messageHash: messages[i]!.hash,
              },
              options: { signed: [messages[i]!] },
            })),
          );
          return claims.map((c): ConsentBatchItem => ({
            consentId: c.registrationId,
            status: 'registered',
            registeredAt: Math.floor(registeredAt.get(c.registrationId)!.getTime() / 1000),
          }));
        },
      },
    );
    return results.map((result, i): ConsentBatchItem =>
      result instanceof AppError
        ? refusedItem(result, unverifiedJwsPart(jwss[i], 'claims')?.registrationId)
        : result,
    );
  }

  withdraw(consentId: string, jws: string, route: string): Promise<ConsentView> {
    return this.intake.accept(
      'consent-withdrawal',
      jws,
      { route, audience: 'if-present' },
      async ({ claims }, m) => {
        if (claims.consentId !== consentId) {
          throw new RefusedMessageError('REQUEST_MISMATCH', 'the withdrawal names another consent');
        }
        const consent = await this.registry.locked(consentId, m);
        if (!consent)
          throw new RefusedMessageError('UNKNOWN_CONSENT', `consent ${consentId} is not registered`);
        if (consent.controller !== claims.iss) {
          throw new RefusedMessageError('NOT_CONTROLLER', 'only the controller of a consent withdraws it');
        }
        if (consent.withdrawn_at !== null) {
          throw new RefusedMessageError('CONSENT_WITHDRAWN', `consent ${consentId} is already withdrawn`);
        }
        const row = await this.registry.withdraw(consentId, jws, m);
        await this.events.append(
          m,
          'consent.withdrawn',
          consentId,
          {
            controller: consent.controller,
            recipients: consent.recipients,
            withdrawnAt: claims.withdrawnAt,
            messageHash: jwsHash(jws),
          },
          { signed: [jws] },
        );
        return {
          consentId,
          controller: consent.controller,
          status: 'withdrawn',
          registeredAt: Math.floor(row.registered_at.getTime() / 1000),
          withdrawnAt: Math.floor(row.withdrawn_at.getTime() / 1000),
        };
      },
    );
  }

  /**
   * Live consents for one subject token, recipient, purpose and category: registered, not
   * withdrawn, valid now, both members active, and an active agreement between controller and
   * recipient covering that purpose and category in the controller → recipient direction.
   */
  async check(query: ConsentCheckRequest): Promise<ConsentCheckResponse> {
    const consentIds = await this.registry.liveForSubject(query.subjectToken, query);
    return { live: consentIds.length > 0, consentIds };
  }

  /**
   * Of `tokens`, those with a live consent (as `check` defines it) from `controller` to
   * `recipient` for `purpose` and `category`: the same rule, for a batch (segment merges).
   */
  liveTokens(
    m: EntityManager,
    tokens: readonly string[],
    query: { controller: string; recipient: string; purpose: string; category: string },
  ): Promise<Set<string>> {
    return this.registry.liveTokens(tokens, query, m);
  }

  counts(): Promise<{ total: number; withdrawn: number; live: number; subjectTokens: number }> {
    return this.registry.counts();
  }

  countsByController(): Promise<{ controller: string; total: number; withdrawn: number }[]> {
    return this.registry.countsByController();
  }
}
