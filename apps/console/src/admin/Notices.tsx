import '@mantine/charts/styles.css';
import { useMutation, useQuery } from '@apollo/client/react';
import { BarChart } from '@mantine/charts';
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  Typography,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminNoticesQuery } from './gql/graphql';
import { applyServerError, QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { notifySaved } from '../lib/notify';
import { ConfirmButton } from './Confirm';
import { diffLines } from './diff';
import { AdminNotices, CreateNotice, DeleteNotice, PublishNotice, UpdateNotice } from './queries';

type Notice = AdminNoticesQuery['privacyNotices']['nodes'][number];
// The server's rules (CreatePrivacyNoticeInput): a key of lower-case letters, digits and dashes.
const NOTICE_KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** The notice as the customer will read it: paragraphs separated by blank lines. */
function NoticePreview({ title, body }: { title: string; body: string }) {
  return (
    <Typography>
      <h3>{title}</h3>
      {body
        .split(/\n\s*\n/)
        .filter((p) => p.trim())
        .map((p, i) => (
          <p key={i}>{p}</p>
        ))}
    </Typography>
  );
}

/** A draft: written, previewed, saved; a new version can start from a published one. */
function DraftEditor({ base, draft, onDone }: { base?: Notice; draft?: Notice; onDone: () => void }) {
  const { t } = useTranslation();
  const [create, creating] = useMutation(CreateNotice);
  const [update, updating] = useMutation(UpdateNotice);
  const [failure, setFailure] = useState<string | null>(null);
  const start = draft ?? base;
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      noticeKey: start?.noticeKey ?? 'crm-sharing',
      version: draft?.version ?? '',
      language: start?.language ?? 'en',
      title: start?.title ?? '',
      body: start?.body ?? '',
    },
    validate: {
      noticeKey: (v) => (NOTICE_KEY.test(v) ? null : t('admin.notices.keyRule')),
      version: (v) => (v.trim() ? null : t('errors.required')),
      language: (v) => (LANGUAGE.test(v) ? null : t('admin.notices.languageRule')),
      title: (v) => (v.trim() ? null : t('errors.required')),
      body: (v) => (v.trim() ? null : t('errors.required')),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      if (draft) {
        await update({
          variables: {
            id: draft.id,
            input: { title: values.title, body: values.body, language: values.language },
          },
        });
      } else {
        await create({ variables: { input: { ...values, version: values.version.trim() } } });
      }
      notifySaved(t('admin.notices.draftSaved'));
      onDone();
    } catch (error) {
      const message = applyServerError(error, form.setFieldError, [
        'noticeKey',
        'version',
        'language',
        'title',
        'body',
      ]);
      if (message) setFailure(t('errors.saveFailed', { message }));
    }
  });
  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate aria-label={t('admin.notices.draft')} data-testid="notice-draft">
        <Stack>
          <Title order={2} size="h4">
            {draft ? t('admin.notices.editDraft', { version: draft.version }) : t('admin.notices.newDraft')}
          </Title>
          {failure && (
            <Alert color="red.9" role="alert">
              {failure}
            </Alert>
          )}
          <Group grow align="flex-start">
            <TextInput
              label={t('admin.notices.key')}
              required
              disabled={!!draft}
              {...form.getInputProps('noticeKey')}
            />
            <TextInput
              label={t('admin.notices.version')}
              required
              disabled={!!draft}
              {...form.getInputProps('version')}
            />
            <TextInput label={t('admin.notices.language')} required {...form.getInputProps('language')} />
          </Group>
          <TextInput label={t('admin.notices.noticeTitle')} required {...form.getInputProps('title')} />
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Textarea
              label={t('admin.notices.body')}
              required
              autosize
              minRows={8}
              {...form.getInputProps('body')}
            />
            <Paper withBorder p="sm" aria-label={t('admin.notices.preview')} component="section">
              <Text size="sm" fw={600}>
                {t('admin.notices.preview')}
              </Text>
              <NoticePreview title={form.values.title} body={form.values.body} />
            </Paper>
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={creating.loading || updating.loading}>
              {t('admin.notices.saveDraft')}
            </Button>
            <Button variant="default" onClick={onDone}>
              {t('admin.common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** Two versions side by side, changed lines marked (colour and a sign, not colour alone). */
function Compare({ notices }: { notices: Notice[] }) {
  const { t } = useTranslation();
  const options = notices.map((n) => ({
    value: n.id,
    label: `${n.noticeKey} ${n.version} (${n.language}, ${t(`admin.notices.status.${n.status}`)})`,
  }));
  const [leftId, setLeftId] = useState<string | null>(notices[1]?.id ?? null);
  const [rightId, setRightId] = useState<string | null>(notices[0]?.id ?? null);
  const left = notices.find((n) => n.id === leftId);
  const right = notices.find((n) => n.id === rightId);
  const rows = useMemo(
    () =>
      left && right ? diffLines(`${left.title}\n\n${left.body}`, `${right.title}\n\n${right.body}`) : [],
    [left, right],
  );
  const bg = {
    same: undefined,
    removed: 'var(--mantine-color-red-light)',
    added: 'var(--mantine-color-teal-light)',
    changed: 'var(--mantine-color-yellow-light)',
  };
  const sign = { same: ' ', removed: '−', added: '+', changed: '~' };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="compare-title">
      <Stack>
        <Title order={2} size="h4" id="compare-title">
          {t('admin.notices.compare')}
        </Title>
        <Group grow>
          <Select
            label={t('admin.notices.left')}
            data={options}
            value={leftId}
            onChange={setLeftId}
            allowDeselect={false}
            data-testid="compare-left"
          />
          <Select
            label={t('admin.notices.right')}
            data={options}
            value={rightId}
            onChange={setRightId}
            allowDeselect={false}
            data-testid="compare-right"
          />
        </Group>
        {left && right && (
          <Table withTableBorder data-testid="notice-diff" style={{ tableLayout: 'fixed' }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={30} aria-label={t('admin.notices.change')} />
                <Table.Th>{`${left.version} (${left.language})`}</Table.Th>
                <Table.Th>{`${right.version} (${right.language})`}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row, i) => (
                <Table.Tr key={i} style={{ background: bg[row.kind] }} data-kind={row.kind}>
                  <Table.Td aria-label={t(`admin.notices.diff.${row.kind}`)}>{sign[row.kind]}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{row.left ?? ''}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{row.right ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}

/** Privacy notices as managed content: drafts, preview, immutable published versions, comparison, consents held. */
export default function Notices() {
  const { t } = useTranslation();
  const f = useFormat();
  const { data, error, refetch } = useQuery(AdminNotices);
  const [publish] = useMutation(PublishNotice);
  const [remove] = useMutation(DeleteNotice);
  const [editing, setEditing] = useState<{ base?: Notice; draft?: Notice } | null>(null);
  const notices = data?.privacyNotices.nodes ?? [];
  const chart = notices
    .filter((n) => n.status === 'PUBLISHED')
    .map((n) => ({ version: `${n.version} ${n.language}`, [t('admin.notices.held')]: n.consentsHeld }))
    .reverse();
  const done = () => {
    setEditing(null);
    void refetch();
  };
  return (
    <Stack maw={1200}>
      <Group justify="space-between">
        <Title order={1}>{t('admin.notices.title')}</Title>
        <Button onClick={() => setEditing({})} data-testid="new-notice">
          {t('admin.notices.newDraft')}
        </Button>
      </Group>
      <Text c="dimmed">{t('admin.notices.intro')}</Text>
      {error && <QueryError error={error} />}
      {editing && (
        <DraftEditor key={editing.draft?.id ?? editing.base?.id ?? 'new'} {...editing} onDone={done} />
      )}
      <Table striped withTableBorder data-testid="notices-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('admin.notices.key')}</Table.Th>
            <Table.Th>{t('admin.notices.version')}</Table.Th>
            <Table.Th>{t('admin.notices.language')}</Table.Th>
            <Table.Th>{t('admin.notices.noticeTitle')}</Table.Th>
            <Table.Th>{t('admin.notices.state')}</Table.Th>
            <Table.Th>{t('admin.notices.consents')}</Table.Th>
            <Table.Th>{t('admin.common.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {notices.map((n) => (
            <Table.Tr key={n.id} data-testid={`notice-${n.version}-${n.language}`}>
              <Table.Td>{n.noticeKey}</Table.Td>
              <Table.Td>{n.version}</Table.Td>
              <Table.Td>{n.language}</Table.Td>
              <Table.Td>{n.title}</Table.Td>
              <Table.Td>
                <Badge color={n.status === 'PUBLISHED' ? 'teal.9' : 'gray.7'}>
                  {t(`admin.notices.status.${n.status}`)}
                </Badge>
                {n.publishedAt && (
                  <Text size="xs" c="dimmed">
                    {f.dateTime(n.publishedAt)}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {t('admin.notices.consentCounts', {
                  held: f.number(n.consentsHeld),
                  given: f.number(n.consentsGiven),
                })}
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {n.status === 'DRAFT' ? (
                    <>
                      <Button size="xs" variant="light" onClick={() => setEditing({ draft: n })}>
                        {t('admin.notices.edit')}
                      </Button>
                      <ConfirmButton
                        label={t('admin.notices.publish')}
                        title={t('admin.notices.publishTitle', { version: n.version })}
                        body={t('admin.notices.publishBody')}
                        confirmLabel={t('admin.notices.publish')}
                        testId="publish-notice"
                        onConfirm={async () => {
                          await publish({ variables: { id: n.id } });
                          notifySaved(t('admin.notices.published', { version: n.version }));
                          await refetch();
                        }}
                      />
                      <ConfirmButton
                        label={t('admin.notices.delete')}
                        title={t('admin.notices.deleteTitle', { version: n.version })}
                        body={t('admin.notices.deleteBody')}
                        confirmLabel={t('admin.notices.delete')}
                        color="red.9"
                        onConfirm={async () => {
                          await remove({ variables: { id: n.id } });
                          await refetch();
                        }}
                      />
                    </>
                  ) : (
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => setEditing({ base: n })}
                      data-testid="new-version"
                    >
                      {t('admin.notices.newVersion')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {chart.length > 0 && (
        <Paper withBorder p="md" component="section" aria-labelledby="held-title">
          <Title order={2} size="h4" id="held-title" mb="sm">
            {t('admin.notices.heldChart')}
          </Title>
          <BarChart
            h={200}
            data={chart}
            dataKey="version"
            series={[{ name: t('admin.notices.held'), color: 'indigo.7' }]}
          />
        </Paper>
      )}
      {notices.length >= 2 && <Compare notices={notices} />}
    </Stack>
  );
}
