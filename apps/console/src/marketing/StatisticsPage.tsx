import '@mantine/charts/styles.css';
import { useMutation, useQuery } from '@apollo/client/react';
import { BarChart, CompositeChart, LineChart } from '@mantine/charts';
import { Group, Loader, SegmentedControl, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { ChartCard } from './charts/ChartCard';
import { RfmGrid } from './charts/RfmGrid';
import { RefreshRfm, Statistics } from './queries';

const CURRENCIES = ['EUR', 'GBP', 'USD', 'CHF'];

/** Sales by month (trend and projection), by category, the RFM grid and care satisfaction. */
export default function StatisticsPage() {
  const { t } = useTranslation();
  const { number, money } = useFormat();
  const [currency, setCurrency] = useState('EUR');
  const [months, setMonths] = useState('12');
  // Sales by category over the same complete months as the monthly chart.
  const from = useMemo(() => {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - Number(months), 1)).toISOString();
  }, [months]);
  const { data, error, loading, refetch } = useQuery(Statistics, {
    variables: { currency, months: Number(months), from },
  });
  // The RFM grid is a stored snapshot: "Refresh now" recomputes it, then the page reads it again.
  const [refreshRfm, rfmRefresh] = useMutation(RefreshRfm);
  const [rfmRefreshing, setRfmRefreshing] = useState(false);
  const onRefreshRfm = () => {
    setRfmRefreshing(true);
    void refreshRfm()
      .then(() => refetch())
      .catch(() => undefined) // shown from rfmRefresh.error
      .finally(() => setRfmRefreshing(false));
  };
  const amount = (v: number) => money(v, currency);

  const sales = useMemo(() => {
    if (!data) return [];
    const { intercept, slope } = data.salesByMonth.trend;
    const actual = data.salesByMonth.months.map((m, i) => ({
      month: m.month,
      revenue: Number(m.revenue),
      projected: null as number | null,
      trend: Math.max(0, Math.round((intercept + slope * i) * 100) / 100),
      orders: m.orders,
    }));
    const projected = data.salesByMonth.projection.map((m) => ({
      month: m.month,
      revenue: null as number | null,
      projected: Number(m.revenue),
      trend: Number(m.revenue),
      orders: null as number | null,
    }));
    return [...actual, ...projected];
  }, [data]);
  const firstProjected = data?.salesByMonth.projection[0]?.month;

  const categories = (data?.salesByCategory ?? []).map((c) => ({
    category: c.category ?? t('marketing.stats.noCategory'),
    revenue: Number(c.revenue),
    revenueText: amount(Number(c.revenue)),
    orders: c.orders,
    quantity: c.quantity,
  }));
  const care = (data?.careSatisfactionByMonth ?? []).map((m) => ({
    month: m.month,
    average: m.average === null ? null : Math.round(m.average * 100) / 100,
    cases: m.cases,
    rated: m.rated,
  }));

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1}>{t('marketing.stats.title')}</Title>
        <Group>
          <Select
            w={120}
            label={t('marketing.stats.currency')}
            data={CURRENCIES}
            value={currency}
            allowDeselect={false}
            onChange={(v) => v && setCurrency(v)}
          />
          <SegmentedControl
            aria-label={t('marketing.stats.months')}
            value={months}
            onChange={setMonths}
            data={[
              { value: '12', label: t('marketing.stats.lastMonths', { count: 12 }) },
              { value: '24', label: t('marketing.stats.lastMonths', { count: 24 }) },
            ]}
          />
        </Group>
      </Group>
      {error && <QueryError error={error} />}
      {loading && !data && <Loader aria-label={t('marketing.loading')} />}
      {data && (
        <>
          <ChartCard
            title={t('marketing.stats.salesByMonth')}
            description={t('marketing.stats.salesByMonthHint')}
            testId="sales-by-month"
            csvName={`sales-by-month-${currency}.csv`}
            columns={[
              { key: 'month', label: t('marketing.stats.month') },
              { key: 'orders', label: t('marketing.stats.orders'), numeric: true },
              { key: 'revenue', label: t('marketing.stats.revenue'), numeric: true },
              { key: 'projected', label: t('marketing.stats.projected'), numeric: true },
              { key: 'trend', label: t('marketing.stats.trend'), numeric: true },
            ]}
            rows={sales.map((s) => ({
              ...s,
              revenueText: s.revenue === null ? '—' : amount(s.revenue),
              projectedText: s.projected === null ? '—' : amount(s.projected),
              trendText: amount(s.trend),
            }))}
          >
            <CompositeChart
              h={300}
              data={sales}
              dataKey="month"
              valueFormatter={amount}
              withLegend
              referenceLines={
                firstProjected
                  ? [{ x: firstProjected, label: t('marketing.stats.projection'), color: 'gray.7' }]
                  : []
              }
              series={[
                { name: 'revenue', label: t('marketing.stats.revenue'), color: 'indigo.8', type: 'bar' },
                { name: 'projected', label: t('marketing.stats.projected'), color: 'orange.4', type: 'bar' },
                {
                  name: 'trend',
                  label: t('marketing.stats.trend'),
                  color: 'teal.9',
                  type: 'line',
                  strokeDasharray: '6 4',
                },
              ]}
            />
          </ChartCard>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <ChartCard
              title={t('marketing.stats.salesByCategory')}
              testId="sales-by-category"
              csvName={`sales-by-category-${currency}.csv`}
              columns={[
                { key: 'category', label: t('marketing.stats.category') },
                { key: 'orders', label: t('marketing.stats.orders'), numeric: true },
                { key: 'quantity', label: t('marketing.stats.quantity'), numeric: true },
                { key: 'revenue', label: t('marketing.stats.revenue'), numeric: true },
              ]}
              rows={categories}
            >
              <BarChart
                h={Math.max(200, categories.length * 34)}
                data={categories}
                dataKey="category"
                orientation="vertical"
                yAxisProps={{ width: 120 }}
                valueFormatter={amount}
                series={[{ name: 'revenue', label: t('marketing.stats.revenue'), color: 'indigo.8' }]}
              />
            </ChartCard>
            <RfmGrid
              cells={data.rfmDistribution.cells}
              customers={data.rfmDistribution.customers}
              windowDays={data.rfmDistribution.windowDays}
              asOf={data.rfmDistribution.asOf}
              refreshEverySeconds={data.rfmDistribution.refreshEverySeconds ?? null}
              stale={data.rfmDistribution.stale}
              onRefresh={onRefreshRfm}
              refreshing={rfmRefreshing}
              refreshError={rfmRefresh.error ? describeError(rfmRefresh.error).message : undefined}
            />
          </SimpleGrid>
          <ChartCard
            title={t('marketing.stats.careSatisfaction')}
            description={t('marketing.stats.careSatisfactionHint')}
            testId="care-satisfaction"
            csvName="care-satisfaction-by-month.csv"
            columns={[
              { key: 'month', label: t('marketing.stats.month') },
              { key: 'cases', label: t('marketing.stats.cases'), numeric: true },
              { key: 'rated', label: t('marketing.stats.rated'), numeric: true },
              { key: 'average', label: t('marketing.stats.average'), numeric: true },
            ]}
            rows={care}
          >
            <LineChart
              h={220}
              data={care}
              dataKey="month"
              yAxisProps={{ domain: [1, 5] }}
              connectNulls
              series={[{ name: 'average', label: t('marketing.stats.average'), color: 'teal.9' }]}
              valueFormatter={(v) => number(v)}
            />
          </ChartCard>
          <Text size="xs" c="dimmed">
            {t('marketing.stats.countedOrders')}
          </Text>
        </>
      )}
    </Stack>
  );
}
