import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';
import { noticeContentHash } from './privacy-notices.service.js';

describe('privacy notices (real PostgreSQL)', () => {
  let node: TestNode;
  let admin: string;

  beforeAll(async () => {
    node = await startTestNode('notices');
    admin = await node.tokenFor(Role.ADMIN);
  });
  afterAll(async () => node?.close());

  const CREATE = `mutation($input: CreatePrivacyNoticeInput!) {
    createPrivacyNotice(input: $input) { id status version contentHash publishedAt } }`;
  const UPDATE = `mutation($id: ID!, $input: UpdatePrivacyNoticeInput!) {
    updatePrivacyNotice(id: $id, input: $input) { id title body } }`;
  const PUBLISH = `mutation($id: ID!) { publishPrivacyNotice(id: $id) { id status contentHash publishedAt title body language version } }`;
  const input = {
    noticeKey: 'crm-sharing',
    version: '1',
    language: 'en',
    title: 'Sharing',
    body: 'We share…',
  };

  type Notice = {
    id: string;
    status: string;
    contentHash: string | null;
    title: string;
    body: string;
    language: string;
    version: string;
  };

  it('drafts are editable; publishing fixes a content hash; published versions are immutable', async () => {
    const created = await node.gql<{ createPrivacyNotice: Notice }>(CREATE, { input }, admin);
    expect(created.errors).toBeUndefined();
    const id = created.data!.createPrivacyNotice.id;
    expect(created.data!.createPrivacyNotice).toMatchObject({ status: 'DRAFT', contentHash: null });

    const edited = await node.gql<{ updatePrivacyNotice: Notice }>(
      UPDATE,
      { id, input: { body: 'We share your care history.' } },
      admin,
    );
    expect(edited.errors).toBeUndefined();
    expect(edited.data!.updatePrivacyNotice.body).toBe('We share your care history.');

    const published = await node.gql<{ publishPrivacyNotice: Notice }>(PUBLISH, { id }, admin);
    expect(published.errors).toBeUndefined();
    const notice = published.data!.publishPrivacyNotice;
    expect(notice.status).toBe('PUBLISHED');
    expect(notice.contentHash).toBe(noticeContentHash(notice));

    const again = await node.gql(UPDATE, { id, input: { body: 'Changed after publication' } }, admin);
    expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOTICE_PUBLISHED' });
    const republish = await node.gql(PUBLISH, { id }, admin);
    expect(republish.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOTICE_PUBLISHED' });
    const remove = await node.gql(`mutation($id: ID!) { deletePrivacyNotice(id: $id) }`, { id }, admin);
    expect(remove.errors![0].extensions).toMatchObject({ code: 'CONFLICT' });

    // The database itself refuses, whoever asks.
    const db = node.app.get(DataSource);
    await expect(db.query(`UPDATE privacy_notice SET body = 'sneaky' WHERE id = $1`, [id])).rejects.toThrow(
      /published/,
    );
    await expect(db.query(`DELETE FROM privacy_notice WHERE id = $1`, [id])).rejects.toThrow(/published/);
    const [row]: { body: string }[] = await db.query(`SELECT body FROM privacy_notice WHERE id = $1`, [id]);
    expect(row!.body).toBe('We share your care history.');
  });

  it('a new version is a new row; the same version twice is a conflict', async () => {
    const duplicate = await node.gql(CREATE, { input }, admin);
    expect(duplicate.errors![0].extensions!.code).toBe('CONFLICT');
    const next = await node.gql<{ createPrivacyNotice: Notice }>(
      CREATE,
      { input: { ...input, version: '2' } },
      admin,
    );
    expect(next.errors).toBeUndefined();
    const list = await node.gql<{ privacyNotices: { nodes: { version: string; status: string }[] } }>(
      `{ privacyNotices(noticeKey: "crm-sharing") { nodes { version status } } }`,
      {},
      await node.tokenFor(Role.MARKETER),
    );
    expect(list.data!.privacyNotices.nodes).toEqual([
      { version: '2', status: 'DRAFT' },
      { version: '1', status: 'PUBLISHED' },
    ]);
  });

  it('validates input and roles', async () => {
    const bad = await node.gql(CREATE, { input: { ...input, version: '3', language: 'English' } }, admin);
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'language' });
    for (const role of [Role.AGENT, Role.MARKETER, Role.COMPLIANCE]) {
      const token = await node.tokenFor(role);
      expect(
        (await node.gql(CREATE, { input: { ...input, version: '9' } }, token)).errors![0].extensions!.code,
      ).toBe('FORBIDDEN');
      expect((await node.gql(`{ privacyNotices { nodes { id } } }`, {}, token)).errors).toBeUndefined();
    }
    const unknown = await node.gql(PUBLISH, { id: '00000000-0000-4000-8000-000000000000' }, admin);
    expect(unknown.errors![0].extensions!.code).toBe('NOT_FOUND');
  });
});
