import { parseArgs } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { AgreementDirection, DataCategory, Purpose } from '../agreements/agreement.enums.js';
import { ProposeAgreementInput } from '../agreements/agreements.dto.js';
import { AgreementsService } from '../agreements/agreements.service.js';
import { ApplyForMembershipInput } from './network.dto.js';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { MembershipChangesService } from './membership-changes.service.js';
import { NetworkService } from './network.service.js';

/**
 * The trust commands of the partner node's CLI (see cli/commands.ts): membership, key rotation,
 * agreements. They run on the node's own database and keys, like the GraphQL mutations.
 */
export const TRUST_COMMANDS = ['register', 'rotate-keys', 'agreements'] as const;
export type TrustCommand = (typeof TRUST_COMMANDS)[number];

export const TRUST_USAGE = `  register --name <company> --endpoint <url>
                                        Apply to the federation at FEDERATION_URL (self-signed application)
  register --status                     Show the membership status (refreshed from the federation)
  rotate-keys [--agreement-key]         Rotate the signing key (and the agreement key), announced to the
                                        federation under the old key; old keys keep verifying
  agreements [list] [--refresh]         List the sharing agreements (--refresh: pull and verify them first)
  agreements propose --partner <id> --purposes <p,p> --categories <c,c> --direction <d>
                     --retention-days <n> --min-cohort <n> --valid-until <ISO date>
                                        Propose an agreement (purposes: ${Object.values(Purpose).join(', ')};
                                        categories: ${Object.values(DataCategory).join(', ')};
                                        direction: ${Object.values(AgreementDirection).join(', ')})
  agreements accept <agreement-id>      Accept a partner's proposal
  agreements terminate <agreement-id> [--reason <text>]
                                        Terminate an agreement`;

export interface TrustIo {
  out(text: string): void;
  err(text: string): void;
}

/** Runs one trust command; returns the exit code (2 for wrong usage). AppErrors propagate. */
export async function runTrustCommand(
  command: TrustCommand,
  app: INestApplicationContext,
  args: string[],
  io: TrustIo,
): Promise<number> {
  const usage = (message: string) => {
    io.err(`concordia ${command}: ${message}\nRun "concordia help" for the usage.`);
    return 2;
  };
  if (app.get<PartnerNodeConfig>(PARTNER_NODE_CONFIG).keyEncryption.isEphemeral) {
    io.err(
      `concordia ${command}: set KEY_ENCRYPTION_SECRET to the node's secret: the node's keys are sealed under it`,
    );
    return 1;
  }
  const network = app.get(NetworkService);
  const agreements = app.get(AgreementsService);
  switch (command) {
    case 'register': {
      const { values } = parseArgs({
        args,
        options: {
          name: { type: 'string' },
          endpoint: { type: 'string' },
          status: { type: 'boolean', default: false },
        },
        strict: true,
      });
      if (values.status) {
        const membership = await network.membership();
        io.out(
          membership
            ? `Federation ${membership.federationId} (${membership.federationUrl}): ${membership.status}` +
                (membership.validUntil ? `, member until ${membership.validUntil.toISOString()}` : '')
            : 'This node has not contacted a federation yet.',
        );
        return 0;
      }
      const input = plainToInstance(ApplyForMembershipInput, {
        name: values.name,
        endpoint: values.endpoint,
      });
      const problems = await validate(input, { stopAtFirstError: true });
      if (problems.length > 0) {
        return usage(
          problems
            .map((p) => `--${p.property}: ${Object.values(p.constraints ?? {})[0] ?? 'is not valid'}`)
            .join('; '),
        );
      }
      const membership = await app.get(MembershipChangesService).apply(input);
      io.out(
        `Applied to ${membership.federationId}: application ${membership.applicationId} is ${membership.status}.`,
      );
      return 0;
    }
    case 'rotate-keys': {
      const { values } = parseArgs({
        args,
        options: { 'agreement-key': { type: 'boolean', default: false } },
        strict: true,
      });
      const result = await app
        .get(MembershipChangesService)
        .rotateKeys({ agreementKey: values['agreement-key'] });
      io.out(
        `New key(s) ${result.newKids.join(', ')} active; retired ${result.retiredKids.join(', ')}; ` +
          (result.announced ? 'announced to the federation.' : 'not announced (not a member).'),
      );
      return 0;
    }
    case 'agreements': {
      const [sub = 'list', ...rest] = args[0]?.startsWith('--') ? ['list', ...args] : args;
      if (sub === 'list') {
        const { values } = parseArgs({
          args: rest,
          options: { refresh: { type: 'boolean', default: false } },
          strict: true,
        });
        if (values.refresh) {
          const { agreements: ok, refused } = await agreements.refresh();
          io.out(`Refreshed: ${ok} verified, ${refused} refused.`);
        }
        const page = await agreements.list({ first: 200 });
        if (page.nodes.length === 0) io.out('No agreements.');
        for (const a of page.nodes) {
          io.out(
            `${a.agreementId}  ${a.state.padEnd(10)} ${agreements.direction(a).padEnd(8)} ${a.partnerId}  ` +
              `${a.purposes.join(',')} / ${a.categories.join(',')}  until ${a.validUntil.toISOString()}`,
          );
        }
        return 0;
      }
      if (sub === 'accept' || sub === 'terminate') {
        const { values, positionals } = parseArgs({
          args: rest,
          options: { reason: { type: 'string' } },
          allowPositionals: true,
          strict: true,
        });
        if (positionals.length !== 1) return usage(`${sub} needs one agreement id`);
        const result =
          sub === 'accept'
            ? await agreements.accept(positionals[0]!)
            : await agreements.terminate(positionals[0]!, values.reason);
        io.out(`Agreement ${result.agreementId} is ${result.state}.`);
        return 0;
      }
      if (sub === 'propose') {
        const { values } = parseArgs({
          args: rest,
          options: {
            partner: { type: 'string' },
            purposes: { type: 'string' },
            categories: { type: 'string' },
            direction: { type: 'string', default: AgreementDirection.MUTUAL },
            'retention-days': { type: 'string' },
            'min-cohort': { type: 'string' },
            'valid-until': { type: 'string' },
          },
          strict: true,
        });
        const list = (text: string | undefined) =>
          (text ?? '')
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean);
        const input = plainToInstance(ProposeAgreementInput, {
          partnerId: values.partner,
          purposes: list(values.purposes),
          categories: list(values.categories),
          direction: values.direction,
          retentionDays: Number(values['retention-days']),
          minCohortSize: Number(values['min-cohort']),
          validUntil: values['valid-until'] ? new Date(values['valid-until']) : undefined,
        });
        const problems = await validate(input, { stopAtFirstError: true });
        if (problems.length > 0) {
          return usage(
            problems
              .map((p) => `${p.property}: ${Object.values(p.constraints ?? {})[0] ?? 'is not valid'}`)
              .join('; '),
          );
        }
        const result = await agreements.propose(input);
        io.out(
          `Proposed agreement ${result.agreementId} to ${result.partnerId}; it applies once they accept.`,
        );
        return 0;
      }
      return usage(`unknown sub-command "${sub}" (list, propose, accept, terminate)`);
    }
  }
}
