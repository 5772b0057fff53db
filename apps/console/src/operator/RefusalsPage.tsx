import { useQuery } from '@apollo/client/react';
import { Button, Group, Loader, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError, describeError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { Refusals } from './queries';
import { PageHeader } from './ui';

interface Filter {
  reason: string;
  issuer: string;
  from: string;
  to: string;
}
const EMPTY: Filter = { reason: '', issuer: '', from: '', to: '' };

/** A `datetime-local` value (the user's time zone) as an ISO instant, or null when empty. */
const instant = (local: string): string | null => (local ? new Date(local).toISOString() : null);

/** Refused messages and requests, filterable by reason, party and time. */
export default function RefusalsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [applied, setApplied] = useState<Filter>(EMPTY);
  const variables = {
    reason: applied.reason || null,
    issuer: applied.issuer.trim() || null,
    from: instant(applied.from),
    to: instant(applied.to),
  };
  const { data, previousData, loading, error, fetchMore } = useQuery(Refusals, { variables });
  const shown = data ?? previousData;
  const rows = shown?.refusals.nodes ?? [];
  const page = data?.refusals.pageInfo;
  const fieldError = error ? describeError(error) : undefined;
  const atField =
    fieldError?.code === 'BAD_USER_INPUT' && (fieldError.field === 'from' || fieldError.field === 'to');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApplied(draft);
  };
  const set = (key: keyof Filter) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <Stack>
      <PageHeader title={t('operator.refusals.title')} intro={t('operator.refusals.intro')} />
      <form onSubmit={submit} aria-label={t('operator.refusals.title')}>
        <Group align="flex-end">
          <NativeSelect
            label={t('operator.refusals.reason')}
            value={draft.reason}
            onChange={(event) => set('reason')(event.currentTarget.value)}
            data={[
              { value: '', label: t('operator.refusals.anyReason') },
              ...(shown?.refusalReasons ?? []).map((r) => ({ value: r, label: r })),
            ]}
            data-testid="refusal-reason"
          />
          <TextInput
            label={t('operator.refusals.party')}
            placeholder={t('operator.refusals.partyPlaceholder')}
            value={draft.issuer}
            onChange={(event) => set('issuer')(event.currentTarget.value)}
            data-testid="refusal-party"
          />
          <TextInput
            type="datetime-local"
            label={t('operator.common.from')}
            value={draft.from}
            onChange={(event) => set('from')(event.currentTarget.value)}
            error={atField && fieldError?.field === 'from' ? fieldError.message : undefined}
          />
          <TextInput
            type="datetime-local"
            label={t('operator.common.to')}
            value={draft.to}
            onChange={(event) => set('to')(event.currentTarget.value)}
            error={atField && fieldError?.field === 'to' ? fieldError.message : undefined}
          />
          <Button type="submit" data-testid="refusal-apply">
            {t('operator.refusals.apply')}
          </Button>
          <Button
            variant="default"
            onClick={() => {
              setDraft(EMPTY);
              setApplied(EMPTY);
            }}
          >
            {t('operator.refusals.clear')}
          </Button>
        </Group>
      </form>
      {error && !atField && <QueryError error={error} />}
      {loading && !shown && <Loader aria-label={t('operator.refusals.title')} />}
      {shown && rows.length === 0 && <Text>{t('operator.common.none')}</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped verticalSpacing="xs" data-testid="refusals">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('operator.refusals.at')}</Table.Th>
                <Table.Th>{t('operator.refusals.reason')}</Table.Th>
                <Table.Th>{t('operator.refusals.party')}</Table.Th>
                <Table.Th>{t('operator.refusals.kind')}</Table.Th>
                <Table.Th>{t('operator.refusals.message')}</Table.Th>
                <Table.Th>{t('operator.refusals.count')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((refusal) => (
                <Table.Tr key={refusal.id} data-reason={refusal.reason}>
                  <Table.Td>{format.dateTime(refusal.refusedAt)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {refusal.reason}
                    </Text>
                  </Table.Td>
                  <Table.Td>{refusal.issuer ?? '—'}</Table.Td>
                  <Table.Td>
                    {refusal.kind}
                    <Text size="xs" c="dimmed">
                      {refusal.route}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{refusal.message}</Text>
                  </Table.Td>
                  <Table.Td>{format.number(refusal.count)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {page?.hasNextPage && (
        <Button
          variant="light"
          w="fit-content"
          onClick={() =>
            void fetchMore({
              variables: { ...variables, after: page.endCursor },
              updateQuery: (previous, { fetchMoreResult }) => ({
                ...fetchMoreResult,
                refusals: {
                  ...fetchMoreResult.refusals,
                  nodes: [...previous.refusals.nodes, ...fetchMoreResult.refusals.nodes],
                },
              }),
            })
          }
        >
          {t('operator.common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}
