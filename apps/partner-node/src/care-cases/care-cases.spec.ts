import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, type EntityManager } from 'typeorm';
import {
  comparableRows,
  careStatementsOf,
  countRows,
  expectBadInput,
  expectCode,
  expectRefused,
  makeCustomer,
} from '../interactions/crm-testing.js';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';
import { CareCasePriority, CareCaseStatus } from './care-case.enums.js';
import type { CreateCareCaseInput } from './care-cases.dto.js';
import { CareCasesService } from './care-cases.service.js';

interface CaseData {
  id: string;
  status: string;
  priority: string;
  subject: string;
  category: string | null;
  resolution: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  satisfaction: number | null;
  feedbackComment: string | null;
  overdue: boolean;
  assignee: { id: string } | null;
  customer: { id: string };
  interactions: { id: string }[];
}

const FIELDS = `id status priority subject category resolution resolvedAt closedAt satisfaction feedbackComment
  overdue assignee { id } customer { id } interactions { id }`;
const CREATE = `mutation($input: CreateCareCaseInput!) { createCareCase(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCareCaseInput!) { updateCareCase(id: $id, input: $input) { ${FIELDS} } }`;
const STATUS = `mutation($id: ID!, $input: ChangeCareCaseStatusInput!) {
  changeCareCaseStatus(id: $id, input: $input) { ${FIELDS} }
}`;
const FEEDBACK = `mutation($id: ID!, $input: CareCaseFeedbackInput!) {
  recordCareCaseFeedback(id: $id, input: $input) { ${FIELDS} }
}`;
const LIST = `query($filter: CareCaseFilter, $sort: CareCaseSort, $first: Int, $after: String) {
  careCases(filter: $filter, sort: $sort, first: $first, after: $after) {
    nodes { id priority dueAt } pageInfo { hasNextPage endCursor }
  }
}`;

describe('care cases (real PostgreSQL)', () => {
  let node: TestNode;
  let agent: { id: string; token: string };
  let customerId: string;

  beforeAll(async () => {
    node = await startTestNode('care-cases');
    agent = await node.userFor(Role.AGENT);
    customerId = await makeCustomer(node);
  });
  afterAll(async () => node?.close());

  const create = (input: Record<string, unknown>, token = agent.token) =>
    node.gql<{ createCareCase: CaseData }>(
      CREATE,
      { input: { customerId, subject: 'Late delivery', ...input } },
      token,
    );
  const status = (id: string, input: Record<string, unknown>) =>
    node.gql<{ changeCareCaseStatus: CaseData }>(STATUS, { id, input }, agent.token);
  const feedback = (id: string, input: Record<string, unknown>) =>
    node.gql<{ recordCareCaseFeedback: CaseData }>(FEEDBACK, { id, input }, agent.token);

  it('opens a case, updates it, and resolves its customer, assignee and interactions', async () => {
    const created = await create({ priority: 'HIGH', category: 'delivery', assigneeId: agent.id });
    expect(created.errors).toBeUndefined();
    const kase = created.data!.createCareCase;
    expect(kase).toMatchObject({
      status: 'OPEN',
      priority: 'HIGH',
      category: 'delivery',
      assignee: { id: agent.id },
      customer: { id: customerId },
      interactions: [],
      overdue: false,
    });
    await node.gql(
      `mutation($input: CreateInteractionInput!) { createInteraction(input: $input) { id } }`,
      { input: { customerId, careCaseId: kase.id, channel: 'EMAIL', direction: 'INBOUND' } },
      agent.token,
    );
    const updated = await node.gql<{ updateCareCase: CaseData }>(
      UPDATE,
      {
        id: kase.id,
        input: { priority: 'URGENT', category: '', assigneeId: null, dueAt: '2020-01-01T00:00:00Z' },
      },
      agent.token,
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateCareCase).toMatchObject({
      priority: 'URGENT',
      category: null,
      assignee: null,
      overdue: true,
    });
    expect(updated.data!.updateCareCase.interactions).toHaveLength(1);
  });

  it('follows the status life cycle: resolve needs a resolution, closed reopens only to OPEN', async () => {
    const id = (await create({})).data!.createCareCase.id;
    expect((await status(id, { status: 'PENDING' })).data!.changeCareCaseStatus.status).toBe('PENDING');
    expectBadInput(await status(id, { status: 'RESOLVED' }), 'resolution');
    const resolved = await status(id, { status: 'RESOLVED', resolution: 'Parcel re-sent' });
    expect(resolved.data!.changeCareCaseStatus).toMatchObject({
      status: 'RESOLVED',
      resolution: 'Parcel re-sent',
    });
    expect(resolved.data!.changeCareCaseStatus.resolvedAt).not.toBeNull();
    const closed = await status(id, { status: 'CLOSED' });
    expect(closed.data!.changeCareCaseStatus.closedAt).not.toBeNull();
    for (const illegal of ['PENDING', 'RESOLVED', 'CLOSED']) {
      const res = await status(id, { status: illegal, resolution: 'x' });
      expectBadInput(res, 'status');
      expect(res.errors![0].extensions).toMatchObject({ from: 'CLOSED', to: illegal });
    }
    const reopened = await status(id, { status: 'OPEN' });
    expect(reopened.data!.changeCareCaseStatus).toMatchObject({
      status: 'OPEN',
      resolvedAt: null,
      closedAt: null,
    });
    expectBadInput(await status(id, { status: 'OPEN' }), 'status');
  });

  it('takes feedback only on resolved or closed cases, satisfaction 1 to 5', async () => {
    const id = (await create({})).data!.createCareCase.id;
    const early = await feedback(id, { satisfaction: 5 });
    expectBadInput(early, 'id');
    expect(early.errors![0].message).toMatch(/OPEN/);
    await status(id, { status: 'RESOLVED', resolution: 'Refunded' });
    expectBadInput(await feedback(id, { satisfaction: 0 }), 'satisfaction');
    expectBadInput(await feedback(id, { satisfaction: 6 }), 'satisfaction');
    expectBadInput(await feedback(id, { satisfaction: 4, comment: 'x'.repeat(2001) }), 'comment');
    const ok = await feedback(id, { satisfaction: 4, comment: 'Quick and kind' });
    expect(ok.data!.recordCareCaseFeedback).toMatchObject({
      satisfaction: 4,
      feedbackComment: 'Quick and kind',
    });
    await status(id, { status: 'CLOSED' });
    const again = await feedback(id, { satisfaction: 5 });
    expect(again.data!.recordCareCaseFeedback).toMatchObject({ satisfaction: 5, feedbackComment: null });
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await countRows(node, 'care_case');
    expectCode(await create({ priority: 'CRITICAL' }), 'BAD_USER_INPUT');
    expectBadInput(await create({ subject: '' }), 'subject');
    expectBadInput(await create({ subject: 'x'.repeat(201) }), 'subject');
    expectBadInput(await create({ description: 'x'.repeat(10001) }), 'description');
    expectBadInput(await create({ category: 'x'.repeat(101) }), 'category');
    expectBadInput(await create({ customerId: randomUUID() }), 'customerId');
    expectBadInput(await create({ assigneeId: randomUUID() }), 'assigneeId');
    expectCode(await create({ extra: 1 }), 'BAD_USER_INPUT');
    expect(await countRows(node, 'care_case')).toBe(before);
    expectCode(await status(randomUUID(), { status: 'CLOSED' }), 'NOT_FOUND');
  });

  it('lists with filters and sorts, page by page', async () => {
    const other = await makeCustomer(node, 'Alan', 'Turing');
    const priorities = ['LOW', 'NORMAL', 'HIGH', 'URGENT', 'NORMAL', 'HIGH'];
    for (const [i, priority] of priorities.entries()) {
      const due =
        i < 2
          ? new Date(Date.now() - 3_600_000).toISOString()
          : new Date(Date.now() + 86_400_000 * i).toISOString();
      expect((await create({ customerId: other, priority, dueAt: due })).errors).toBeUndefined();
    }
    const collect = async (variables: Record<string, unknown>) => {
      const ids: { id: string; priority: string }[] = [];
      let after: string | null = null;
      do {
        const res: {
          data?: {
            careCases: {
              nodes: { id: string; priority: string }[];
              pageInfo: { hasNextPage: boolean; endCursor: string | null };
            };
          } | null;
        } = await node.gql(LIST, { ...variables, first: 2, after }, agent.token);
        ids.push(...res.data!.careCases.nodes);
        after = res.data!.careCases.pageInfo.hasNextPage ? res.data!.careCases.pageInfo.endCursor : null;
      } while (after);
      return ids;
    };
    const byPriority = await collect({ filter: { customerId: other }, sort: 'PRIORITY_DESC' });
    expect(byPriority.map((c) => c.priority)).toEqual(['URGENT', 'HIGH', 'HIGH', 'NORMAL', 'NORMAL', 'LOW']);
    expect(new Set(byPriority.map((c) => c.id)).size).toBe(6);
    expect(await collect({ filter: { customerId: other, overdue: true } })).toHaveLength(2);
    expect(await collect({ filter: { customerId: other, priorities: ['HIGH', 'LOW'] } })).toHaveLength(3);
    expect(await collect({ filter: { customerId: other, statuses: ['CLOSED'] } })).toHaveLength(0);
    expect(
      await collect({ filter: { customerId: other, unassigned: true }, sort: 'DUE_AT_ASC' }),
    ).toHaveLength(6);
  });

  describe('batches (createManyIn, changeStatusManyIn, recordFeedbackManyIn)', () => {
    const service = () => node.app.get(CareCasesService);
    const inTransaction = <T>(work: (manager: EntityManager) => Promise<T>) =>
      node.app.get(DataSource).transaction(work);
    const opened = (day: number) => new Date(Date.UTC(2024, 2, day, 9, 0, 0, 123));
    const history = (customer: string): CreateCareCaseInput[] => [
      {
        customerId: customer,
        subject: 'Stays open',
        category: 'billing',
        assigneeId: agent.id,
        openedAt: opened(1),
      },
      { customerId: customer, subject: 'Waits', openedAt: opened(2) },
      {
        customerId: customer,
        subject: 'Resolved and rated',
        priority: CareCasePriority.HIGH,
        openedAt: opened(3),
      },
      {
        customerId: customer,
        subject: 'Resolved, closed, rated twice',
        dueAt: new Date('2024-04-01T00:00:00Z'),
        openedAt: opened(4),
      },
    ];
    const casesOf = (customer: string) =>
      comparableRows(node, 'SELECT * FROM care_case WHERE customer_id = $1 ORDER BY subject', [customer], {
        omit: ['id', 'customer_id'],
        stamped: ['resolved_at', 'closed_at', 'feedback_at', 'created_at', 'updated_at'],
      });

    it('writes what the single calls write, in a few statements', async () => {
      const [one, many] = [
        await makeCustomer(node, 'Single', 'Calls'),
        await makeCustomer(node, 'One', 'Batch'),
      ];
      await inTransaction(async (manager) => {
        const ids: string[] = [];
        for (const input of history(one)) ids.push(await service().createIn(manager, input));
        await service().changeStatusIn(manager, ids[1]!, { status: CareCaseStatus.PENDING });
        await service().changeStatusIn(manager, ids[2]!, {
          status: CareCaseStatus.RESOLVED,
          resolution: 'Refund',
        });
        await service().changeStatusIn(manager, ids[3]!, { status: CareCaseStatus.PENDING });
        await service().changeStatusIn(manager, ids[3]!, {
          status: CareCaseStatus.RESOLVED,
          resolution: 'Fixed',
        });
        await service().recordFeedbackIn(manager, ids[2]!, { satisfaction: 2, comment: 'Slow' });
        await service().recordFeedbackIn(manager, ids[3]!, { satisfaction: 3 });
        await service().changeStatusIn(manager, ids[3]!, { status: CareCaseStatus.CLOSED });
        await service().recordFeedbackIn(manager, ids[3]!, { satisfaction: 5, comment: 'Great' });
      });
      const batchStatements = await careStatementsOf(node, () =>
        inTransaction(async (manager) => {
          const ids = await service().createManyIn(manager, history(many));
          expect(ids).toHaveLength(4);
          await service().changeStatusManyIn(manager, [
            { id: ids[1]!, input: { status: CareCaseStatus.PENDING } },
            { id: ids[2]!, input: { status: CareCaseStatus.RESOLVED, resolution: 'Refund' } },
            { id: ids[3]!, input: { status: CareCaseStatus.PENDING } },
            { id: ids[3]!, input: { status: CareCaseStatus.RESOLVED, resolution: 'Fixed' } },
          ]);
          await service().recordFeedbackManyIn(manager, [
            { id: ids[2]!, input: { satisfaction: 2, comment: 'Slow' } },
            { id: ids[3]!, input: { satisfaction: 3 } },
          ]);
          await service().changeStatusManyIn(manager, [
            { id: ids[3]!, input: { status: CareCaseStatus.CLOSED } },
          ]);
          await service().recordFeedbackManyIn(manager, [
            { id: ids[3]!, input: { satisfaction: 5, comment: 'Great' } },
          ]);
        }),
      );
      // Two statements a call (a check or a lock, then the write), however many items.
      expect(batchStatements).toBe(10);
      const written = await casesOf(many);
      expect(written).toEqual(await casesOf(one));
      expect(written.map((c) => [c.status, c.satisfaction])).toEqual([
        ['resolved', 2],
        ['closed', 5],
        ['open', null],
        ['pending', null],
      ]);
      // A batch may repeat a case: its changes apply in order, its last feedback stays.
      const [repeated] = await inTransaction((manager) =>
        service().createManyIn(manager, history(many).slice(0, 1)),
      );
      await inTransaction(async (manager) => {
        await service().changeStatusManyIn(manager, [
          { id: repeated!, input: { status: CareCaseStatus.RESOLVED, resolution: 'First' } },
          { id: repeated!, input: { status: CareCaseStatus.OPEN } },
          { id: repeated!, input: { status: CareCaseStatus.CLOSED } },
        ]);
        await service().recordFeedbackManyIn(manager, [
          { id: repeated!, input: { satisfaction: 1 } },
          { id: repeated!, input: { satisfaction: 4, comment: 'Better' } },
        ]);
      });
      const [row] = await node.app
        .get(DataSource)
        .query<Record<string, unknown>[]>('SELECT * FROM care_case WHERE id = $1', [repeated]);
      expect(row).toMatchObject({
        status: 'closed',
        resolution: 'First',
        resolved_at: null,
        satisfaction: 4,
      });
      expect(row!.closed_at).not.toBeNull();
    });

    it('refuses a batch with a wrong item, naming the item and field, and writes nothing of it', async () => {
      const customer = await makeCustomer(node, 'Batch', 'Refused');
      const before = await countRows(node, 'care_case');
      const ok = history(customer);
      await expectRefused(
        inTransaction((m) => service().createManyIn(m, [ok[0]!, { ...ok[1]!, customerId: randomUUID() }])),
        'cases[1].customerId',
      );
      await expectRefused(
        inTransaction((m) =>
          service().createManyIn(m, [ok[0]!, ok[1]!, { ...ok[2]!, assigneeId: randomUUID() }]),
        ),
        'cases[2].assigneeId',
      );
      await expectRefused(
        inTransaction((m) =>
          service().createManyIn(m, [{ ...ok[0]!, openedAt: new Date(Date.now() + 86_400_000) }, ok[1]!]),
        ),
        'cases[0].openedAt',
      );
      expect(await countRows(node, 'care_case')).toBe(before);

      const ids = await inTransaction((m) => service().createManyIn(m, ok));
      const snapshot = await casesOf(customer);
      // Refused before any write, even inside the caller's transaction: the rows read there are unchanged.
      const refusedInside = (work: (m: EntityManager) => Promise<void>, field: string) =>
        inTransaction(async (manager) => {
          const error = await expectRefused(work(manager), field);
          const rows = await manager.query<{ status: string; satisfaction: number | null }[]>(
            'SELECT status, satisfaction FROM care_case WHERE id = ANY($1) ORDER BY subject',
            [ids],
          );
          expect(rows.map((r) => [r.status, r.satisfaction])).toEqual(
            snapshot.map((r) => [r.status, r.satisfaction]),
          );
          return error;
        });
      await refusedInside(
        (m) =>
          service().changeStatusManyIn(m, [
            { id: ids[0]!, input: { status: CareCaseStatus.PENDING } },
            { id: ids[1]!, input: { status: CareCaseStatus.RESOLVED } },
          ]),
        'changes[1].resolution',
      );
      const illegal = await refusedInside(
        (m) =>
          service().changeStatusManyIn(m, [
            { id: ids[0]!, input: { status: CareCaseStatus.PENDING } },
            { id: ids[0]!, input: { status: CareCaseStatus.PENDING } },
          ]),
        'changes[1].status',
      );
      expect(illegal.details).toMatchObject({ from: 'PENDING', to: 'PENDING' });
      await refusedInside(
        (m) =>
          service().changeStatusManyIn(m, [
            { id: ids[0]!, input: { status: CareCaseStatus.CLOSED } },
            { id: randomUUID(), input: { status: CareCaseStatus.CLOSED } },
          ]),
        'changes[1].id',
      );
      const early = await refusedInside(
        (m) =>
          service().recordFeedbackManyIn(m, [
            { id: ids[0]!, input: { satisfaction: 5 } },
            { id: ids[1]!, input: { satisfaction: 5 } },
          ]),
        'feedback[0].id',
      );
      expect(early.message).toMatch(/OPEN/);
      expect(await casesOf(customer)).toEqual(snapshot);
      // A single call still answers NOT_FOUND for an id that is no case.
      expectCode(await status(randomUUID(), { status: 'PENDING' }), 'NOT_FOUND');
    });
  });

  it('lets agents and admins write, compliance read only, marketers nothing', async () => {
    const compliance = await node.tokenFor(Role.COMPLIANCE);
    const marketer = await node.tokenFor(Role.MARKETER);
    const admin = await node.tokenFor(Role.ADMIN);
    expect((await create({}, admin)).errors).toBeUndefined();
    expectCode(await create({}, compliance), 'FORBIDDEN');
    expectCode(await create({}, marketer), 'FORBIDDEN');
    expect((await node.gql(LIST, { first: 1 }, compliance)).errors).toBeUndefined();
    expectCode(await node.gql(LIST, { first: 1 }, marketer), 'FORBIDDEN');
  });
});
