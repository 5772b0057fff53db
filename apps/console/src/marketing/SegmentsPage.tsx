import { useQuery } from '@apollo/client/react';
import { Anchor, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { SegmentsList } from './queries';

/** The marketer's segments: each with its size and when it was last computed. */
export default function SegmentsPage() {
  const { t } = useTranslation();
  const { number, dateTime } = useFormat();
  const { data, loading, error } = useQuery(SegmentsList);
  const segments = data?.segments.nodes ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('marketing.segments.title')}</Title>
        <Group>
          <Button component={Link} to="/marketing/segments/new" data-testid="new-rule-segment">
            {t('marketing.segments.newRule')}
          </Button>
          <Button component={Link} to="/marketing/segments/new?kind=STATIC" variant="light">
            {t('marketing.segments.newStatic')}
          </Button>
        </Group>
      </Group>
      {error && <QueryError error={error} />}
      {loading && !data && <Loader aria-label={t('marketing.loading')} />}
      {data && segments.length === 0 && <Text>{t('marketing.segments.none')}</Text>}
      {segments.length > 0 && (
        <Table striped highlightOnHover data-testid="segments-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('marketing.segments.name')}</Table.Th>
              <Table.Th>{t('marketing.segments.kind')}</Table.Th>
              <Table.Th ta="right">{t('marketing.segments.size')}</Table.Th>
              <Table.Th>{t('marketing.segments.refreshedAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {segments.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/marketing/segments/${s.id}`}>
                    {s.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge variant="outline">{t(`marketing.kinds.${s.kind}`)}</Badge>
                </Table.Td>
                <Table.Td ta="right">{number(s.size)}</Table.Td>
                <Table.Td>
                  {s.refreshPending ? t('marketing.segments.refreshing') : dateTime(s.refreshedAt) || '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
