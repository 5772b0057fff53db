import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessTokens } from '#platform/auth/access-tokens';
import { SeededRandom } from '#fixtures';
import { CustomerReferencesRepository } from '../customers/customer-references.repository.js';
import { CareCasesService } from '../care-cases/care-cases.service.js';
import { CareCasePriority, CareCaseStatus } from '../care-cases/care-case.enums.js';
import { CustomerImportService } from '../import-export/customer-import.service.js';
import { OrderImportService } from '../import-export/order-import.service.js';
import type { ImportReport } from '../import-export/import-report.js';
import { InteractionsService } from '../interactions/interactions.service.js';
import { InteractionChannel, InteractionDirection } from '../interactions/interaction.enums.js';
import { LeadsService } from '../leads/leads.service.js';
import { LeadSource } from '../leads/lead.enums.js';
import { Role } from '../users/role.js';
import { UserLookupsRepository } from '../users/user-lookups.repository.js';
import { UsersService } from '../users/users.service.js';
import {
  careCasesOf,
  customersCsv,
  ordersCsv,
  personOfPool,
  poolSize,
  type DemoPartnerProfile,
} from './demo-population.js';

export interface DemoUser {
  role: Role;
  email: string;
  password: string;
  token: string;
}

export interface DemoSeedResult {
  /** The node's customer id of each person of the pool it holds. */
  customerIds: Map<number, string>;
  customers: number;
  orders: number;
  careCases: number;
  interactions: number;
  leads: number;
}

/** Reports each step: its name when it starts, and a one-line result when it ends. */
export type StepReporter = <T>(
  name: string,
  run: () => Promise<T>,
  describe?: (result: T) => string,
) => Promise<T>;

const DEMO_ROLES = [Role.ADMIN, Role.AGENT, Role.MARKETER, Role.COMPLIANCE];

/** The demo's users of one node (admin, agent, marketer, compliance), each with a bearer token. */
export async function createDemoUsers(app: INestApplicationContext, partnerId: string): Promise<DemoUser[]> {
  const created: DemoUser[] = [];
  for (const role of DEMO_ROLES) {
    const email = `${role}@${partnerId}.example`;
    const password = randomBytes(12).toString('base64url');
    const user = await app.get(UsersService).create({
      email,
      password,
      roles: [role],
      displayName: `Demo ${role} (${partnerId})`,
    });
    const { token } = await app.get(AccessTokens).issue({ id: user.id, roles: user.roles });
    created.push({ role, email, password, token });
  }
  return created;
}

/** The demo's care cases are written this many to a transaction (each a handful of statements). */
const CASES_PER_TRANSACTION = 100;

/**
 * Fills a partner node with demo data through the product itself: customers and orders through
 * the CSV importer, care cases, interactions and leads through their services, so the demo
 * exercises what a real company would use. Care cases are assigned to the demo agent.
 */
export async function seedDemoNode(
  app: INestApplicationContext,
  profile: DemoPartnerProfile,
  step: StepReporter,
  agentEmail: string,
  now = new Date(),
): Promise<DemoSeedResult> {
  const importedCustomers = await step(
    `${profile.partnerId}: customers (CSV importer)`,
    () => app.get(CustomerImportService).import(customersCsv(profile)),
    (report: ImportReport) =>
      `${report.rows} customers imported in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  const importedOrders = await step(
    `${profile.partnerId}: orders (CSV importer)`,
    () => app.get(OrderImportService).import(ordersCsv(profile, now)),
    (report: ImportReport) =>
      `${report.rows} order lines imported in ${(report.durationMs / 1000).toFixed(1)} s`,
  );

  const idOf = new Map<number, string>();
  const rows = await app.get(CustomerReferencesRepository).byExternalIdPattern(`${profile.partnerId}-%`);
  for (const row of rows) idOf.set(Number(row.external_id.slice(profile.partnerId.length + 1)), row.id);
  const agentId = await app.get(UserLookupsRepository).idByEmail(agentEmail);
  if (agentId === undefined) throw new Error(`the demo agent ${agentEmail} does not exist`);

  const care = await step(
    `${profile.partnerId}: care cases and interactions`,
    async () => {
      const cases = careCasesOf(profile, now);
      let interactions = 0;
      const careCases = app.get(CareCasesService);
      const interactionsService = app.get(InteractionsService);
      // Each transaction writes a batch of cases and what followed them (their interactions, their
      // status, the customers' feedback) through the services' batch writes, under the same checks
      // as one call each: about eight statements for the batch, whatever its size.
      for (let first = 0; first < cases.length; first += CASES_PER_TRANSACTION) {
        const batch = cases.slice(first, first + CASES_PER_TRANSACTION);
        const customerIds = batch.map((demoCase) => idOf.get(demoCase.person)!);
        await app.get(DataSource).transaction(async (manager) => {
          const caseIds = await careCases.createManyIn(
            manager,
            batch.map((demoCase, i) => ({
              customerId: customerIds[i]!,
              subject: demoCase.subject,
              category: demoCase.category,
              priority: CareCasePriority.NORMAL,
              assigneeId: agentId,
              openedAt: demoCase.openedAt,
            })),
          );
          const written = await interactionsService.createManyIn(
            manager,
            batch.flatMap((demoCase, i) =>
              demoCase.interactions.map((item) => ({
                customerId: customerIds[i]!,
                careCaseId: caseIds[i]!,
                channel: item.channel as InteractionChannel,
                direction: item.direction as InteractionDirection,
                subject: demoCase.subject,
                summary: item.summary,
                occurredAt: new Date(
                  Math.min(
                    demoCase.openedAt.getTime() + item.hoursAfterOpening * 3600_000,
                    now.getTime() - 60_000,
                  ),
                ),
              })),
            ),
            agentId,
          );
          interactions += written.length;
          await careCases.changeStatusManyIn(
            manager,
            batch.flatMap((demoCase, i) => {
              if (demoCase.outcome === 'open') return [];
              const input =
                demoCase.outcome === 'pending'
                  ? { status: CareCaseStatus.PENDING }
                  : { status: CareCaseStatus.RESOLVED, resolution: 'Solved with the customer' };
              return [{ id: caseIds[i]!, input }];
            }),
          );
          await careCases.recordFeedbackManyIn(
            manager,
            batch.flatMap((demoCase, i) => {
              if (demoCase.outcome === 'open' || demoCase.outcome === 'pending') return [];
              const { satisfaction } = demoCase.outcome;
              if (satisfaction === null) return [];
              const comment = satisfaction >= 4 ? 'Quick and friendly' : 'Took too long';
              return [{ id: caseIds[i]!, input: { satisfaction, comment } }];
            }),
          );
        });
      }
      return { cases: cases.length, interactions };
    },
    (result) => `${result.cases} care cases with ${result.interactions} interactions`,
  );

  const leads = await step(
    `${profile.partnerId}: leads`,
    async () => {
      // Leads are people of the pool who are not customers yet; a few convert.
      const random = new SeededRandom(profile.seed + 4);
      const customers = new Set(idOf.keys());
      let created = 0;
      for (let i = 0; created < Math.max(10, Math.round(profile.customers / 25)); i++) {
        const index = random.int(0, poolSize(profile.customers) - 1);
        if (customers.has(index)) continue;
        const person = personOfPool(index);
        const lead = await app.get(LeadsService).create({
          firstName: person.firstName,
          lastName: person.lastName,
          email: person.email,
          phone: person.phone,
          source: random.pick(Object.values(LeadSource)),
          score: random.int(5, 95),
        });
        if (random.chance(0.2)) await app.get(LeadsService).convert(lead.id);
        customers.add(index);
        created++;
      }
      return created;
    },
    (count) => `${count} leads, some converted into customers`,
  );

  return {
    customerIds: idOf,
    customers: importedCustomers.rows,
    orders: importedOrders.rows,
    careCases: care.cases,
    interactions: care.interactions,
    leads,
  };
}
