import '@mantine/charts/styles.css';
import { useMutation, useQuery } from '@apollo/client/react';
import { LineChart } from '@mantine/charts';
import { Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { describeError, QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { ChartCard } from './charts/ChartCard';
import { RefreshSegment, SegmentDetail } from './queries';
import { StaticListTools } from './StaticListTools';

/** One segment: its size now and over time, its members, and (static lists) the list's tools. */
export default function SegmentPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { number, dateTime, date } = useFormat();
  const { data, error, startPolling, stopPolling } = useQuery(SegmentDetail, { variables: { id } });
  const [refresh, refreshing] = useMutation(RefreshSegment);
  const segment = data?.segment;
  const pending = segment?.refreshPending ?? false;
  // While a refresh runs in the queue, look again every second until it is done.
  useEffect(() => {
    if (pending) startPolling(1000);
    else stopPolling();
    return () => stopPolling();
  }, [pending, startPolling, stopPolling]);

  if (error) return <QueryError error={error} />;
  if (!segment) return <Loader aria-label={t('marketing.loading')} />;
  const history = segment.sizeHistory.map((p) => ({ at: dateTime(p.at), size: p.size }));
  return (
    <Stack maw={1100}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>{segment.name}</Title>
          {segment.description && <Text c="dimmed">{segment.description}</Text>}
        </div>
        <Group>
          {segment.kind === 'RULE' && (
            <Button component={Link} to={`/marketing/segments/${segment.id}/edit`} variant="light">
              {t('marketing.segments.editRule')}
            </Button>
          )}
          {segment.kind === 'RULE' && (
            <Button
              variant="light"
              loading={refreshing.loading || pending}
              onClick={() => void refresh({ variables: { id: segment.id } }).then(() => startPolling(1000))}
              data-testid="refresh-segment"
            >
              {t('marketing.segments.refresh')}
            </Button>
          )}
          <Button
            component={Link}
            to={`/marketing/campaigns?segment=${segment.id}`}
            data-testid="segment-new-campaign"
          >
            {t('marketing.campaigns.new')}
          </Button>
        </Group>
      </Group>
      {refreshing.error && <Text c="red.9">{describeError(refreshing.error).message}</Text>}
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Paper withBorder p="sm">
          <Text size="sm" c="dimmed">
            {t('marketing.segments.size')}
          </Text>
          <Text fw={700} size="xl" data-testid="segment-size">
            {number(segment.size)}
          </Text>
        </Paper>
        <Paper withBorder p="sm">
          <Text size="sm" c="dimmed">
            {t('marketing.segments.kind')}
          </Text>
          <Badge variant="outline" size="lg">
            {t(`marketing.kinds.${segment.kind}`)}
          </Badge>
        </Paper>
        <Paper withBorder p="sm">
          <Text size="sm" c="dimmed">
            {t('marketing.segments.refreshedAt')}
          </Text>
          <Text data-testid="segment-refreshed">
            {pending ? t('marketing.segments.refreshing') : dateTime(segment.refreshedAt) || '—'}
          </Text>
        </Paper>
      </SimpleGrid>
      <ChartCard
        title={t('marketing.segments.sizeOverTime')}
        testId="size-history"
        columns={[
          { key: 'at', label: t('marketing.segments.at') },
          { key: 'size', label: t('marketing.segments.size'), numeric: true },
        ]}
        rows={history}
        csvName={`segment-${segment.id}-sizes.csv`}
      >
        <LineChart
          h={220}
          data={history}
          dataKey="at"
          series={[{ name: 'size', label: t('marketing.segments.size'), color: 'indigo.8' }]}
          curveType="stepAfter"
          withDots={history.length < 40}
          valueFormatter={number}
        />
      </ChartCard>
      {segment.kind === 'STATIC' && <StaticListTools segmentId={segment.id} />}
      <Title order={2}>{t('marketing.segments.members')}</Title>
      <Table striped data-testid="segment-members">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('marketing.segments.customer')}</Table.Th>
            <Table.Th>{t('marketing.segments.externalId')}</Table.Th>
            <Table.Th>{t('marketing.segments.addedAt')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {segment.members.nodes.map((m) => (
            <Table.Tr key={m.customerId}>
              <Table.Td>{m.customer?.displayName ?? t('marketing.segments.deletedCustomer')}</Table.Td>
              <Table.Td>{m.customer?.externalId ?? '—'}</Table.Td>
              <Table.Td>{date(m.addedAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {segment.members.pageInfo.hasNextPage && (
        <Text size="sm" c="dimmed">
          {t('marketing.segments.firstMembers', { count: segment.members.nodes.length })}
        </Text>
      )}
    </Stack>
  );
}
