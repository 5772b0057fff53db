import '@mantine/charts/styles.css';
import { useQuery } from '@apollo/client/react';
import { BarChart } from '@mantine/charts';
import { Loader, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { RelayTraffic } from './queries';
import { PageHeader } from './ui';

const PERIODS = { day: 1, week: 7, month: 30 } as const;
type Period = keyof typeof PERIODS;

/** What the relay carried between each ordered pair of partners (counts only). */
export default function RelayPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [period, setPeriod] = useState<Period>('week');
  // Rounded to the minute so that the variables (and the cache entry) stay put between renders.
  const from = useMemo(
    () => new Date(Math.floor(Date.now() / 60_000) * 60_000 - PERIODS[period] * 86_400_000).toISOString(),
    [period],
  );
  const { data, loading, error } = useQuery(RelayTraffic, { variables: { from } });
  const rows = data?.relayTraffic ?? [];
  const chart = rows.map((r) => ({
    pair: `${r.fromPartner} → ${r.toPartner}`,
    history: r.historyRequests,
    envelopes: r.envelopes,
    withdrawals: r.withdrawals,
  }));

  return (
    <Stack>
      <PageHeader title={t('operator.relay.title')} intro={t('operator.relay.intro')} />
      <SegmentedControl
        w="fit-content"
        aria-label={t('operator.relay.period')}
        value={period}
        onChange={(value) => setPeriod(value as Period)}
        data={(Object.keys(PERIODS) as Period[]).map((p) => ({
          value: p,
          label: t(`operator.relay.periods.${p}`),
        }))}
      />
      {error && <QueryError error={error} />}
      {loading && !data && <Loader aria-label={t('operator.relay.title')} />}
      {data && rows.length === 0 && <Text>{t('operator.common.none')}</Text>}
      {rows.length > 0 && (
        <>
          <figure style={{ margin: 0 }} aria-label={t('operator.relay.chartLabel')}>
            <BarChart
              h={Math.max(220, rows.length * 36)}
              data={chart}
              dataKey="pair"
              orientation="vertical"
              type="stacked"
              yAxisProps={{ width: 220 }}
              valueFormatter={(n) => format.number(n)}
              series={[
                { name: 'history', label: t('operator.relay.history'), color: 'indigo.7' },
                { name: 'envelopes', label: t('operator.relay.envelopes'), color: 'teal.8' },
                { name: 'withdrawals', label: t('operator.relay.withdrawals'), color: 'orange.8' },
              ]}
              withLegend
            />
          </figure>
          <Table.ScrollContainer minWidth={760}>
            <Table striped data-testid="relay-traffic">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('operator.relay.pair')}</Table.Th>
                  <Table.Th>{t('operator.relay.history')}</Table.Th>
                  <Table.Th>{t('operator.relay.envelopes')}</Table.Th>
                  <Table.Th>{t('operator.relay.withdrawals')}</Table.Th>
                  <Table.Th>{t('operator.relay.failed')}</Table.Th>
                  <Table.Th>{t('operator.relay.lastAt')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={`${r.fromPartner}>${r.toPartner}`}>
                    <Table.Td>
                      {r.fromPartner} → {r.toPartner}
                    </Table.Td>
                    <Table.Td>{format.number(r.historyRequests)}</Table.Td>
                    <Table.Td>{format.number(r.envelopes)}</Table.Td>
                    <Table.Td>{format.number(r.withdrawals)}</Table.Td>
                    <Table.Td>{format.number(r.failed)}</Table.Td>
                    <Table.Td>{format.dateTime(r.lastAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
