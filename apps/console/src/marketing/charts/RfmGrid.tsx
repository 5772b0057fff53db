import { MatrixChart } from '@mantine/charts';
import { Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../lib/format';
import { ChartCard } from './ChartCard';

interface Cell {
  recency: number;
  frequency: number;
  monetary: number;
  customers: number;
}

/**
 * The RFM distribution as a recency × frequency grid (scores 1–5), shaded by the customers in each
 * square or by their money (the customers' average monetary score). The grid is published as of a
 * refresh (the node recomputes it every few minutes): the card says when, and "Refresh now"
 * (`onRefresh`) recomputes it.
 */
export function RfmGrid({
  cells,
  customers,
  windowDays,
  asOf,
  refreshEverySeconds,
  stale,
  onRefresh,
  refreshing,
  refreshError,
}: {
  cells: readonly Cell[];
  customers: number;
  windowDays: number;
  asOf: string;
  refreshEverySeconds: number | null;
  stale: boolean;
  onRefresh: () => void;
  refreshing: boolean;
  refreshError?: string;
}) {
  const { t } = useTranslation();
  const { number, dateTime } = useFormat();
  const [shade, setShade] = useState<'customers' | 'money'>('customers');
  const squares = new Map<string, { customers: number; monetarySum: number }>();
  for (const c of cells) {
    const key = `${c.recency}:${c.frequency}`;
    const square = squares.get(key) ?? { customers: 0, monetarySum: 0 };
    square.customers += c.customers;
    square.monetarySum += c.monetary * c.customers;
    squares.set(key, square);
  }
  const rows: Record<string, unknown>[] = [];
  const data = [];
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      const square = squares.get(`${r}:${f}`);
      const money =
        square && square.customers ? Math.round((square.monetarySum / square.customers) * 100) / 100 : null;
      rows.push({ recency: r, frequency: f, customers: square?.customers ?? 0, money });
      data.push({
        x: String(r),
        y: String(f),
        value: shade === 'customers' ? (square?.customers ?? null) : money,
      });
    }
  }
  return (
    <ChartCard
      title={t('marketing.stats.rfm')}
      description={t('marketing.stats.rfmHint', { customers: number(customers), days: windowDays })}
      testId="rfm-grid"
      csvName="rfm-recency-frequency.csv"
      columns={[
        { key: 'recency', label: t('marketing.stats.recency'), numeric: true },
        { key: 'frequency', label: t('marketing.stats.frequency'), numeric: true },
        { key: 'customers', label: t('marketing.stats.customers'), numeric: true },
        { key: 'money', label: t('marketing.stats.money'), numeric: true },
      ]}
      rows={rows}
    >
      <Stack gap="xs">
        <Group justify="space-between" gap="xs" wrap="wrap">
          {/* Polite live region: the new time is read out after a refresh. */}
          <Text size="xs" c="dimmed" aria-live="polite" data-testid="rfm-as-of">
            {t('marketing.stats.rfmAsOf', { time: dateTime(asOf) })}
            {refreshEverySeconds !== null &&
              ` · ${t('marketing.stats.rfmEvery', { count: Math.max(1, Math.round(refreshEverySeconds / 60)) })}`}
            {stale && ` · ${t('marketing.stats.rfmStale')}`}
          </Text>
          <Button
            size="xs"
            variant="light"
            loading={refreshing}
            onClick={onRefresh}
            data-testid="rfm-refresh"
          >
            {t('marketing.stats.rfmRefresh')}
          </Button>
        </Group>
        {refreshError && (
          <Text size="sm" c="red.9" role="alert">
            {refreshError}
          </Text>
        )}
        <SegmentedControl
          size="xs"
          w="fit-content"
          aria-label={t('marketing.stats.shadeBy')}
          value={shade}
          onChange={(v) => setShade(v as 'customers' | 'money')}
          data={[
            { value: 'customers', label: t('marketing.stats.customers') },
            { value: 'money', label: t('marketing.stats.money') },
          ]}
        />
        <MatrixChart
          data={data}
          xLabels={['1', '2', '3', '4', '5']}
          yLabels={['5', '4', '3', '2', '1']}
          withXLabels
          withYLabels
          xLabelsRotation={0}
          xLabelsHeight={24}
          yLabelsWidth={24}
          cellSize={40}
          gap={3}
          withLegend
          legendLabels={[t('marketing.stats.less'), t('marketing.stats.more')]}
          colors={['indigo.1', 'indigo.3', 'indigo.5', 'indigo.7', 'indigo.9']}
          withTooltip
          getTooltipLabel={(cell) =>
            t('marketing.stats.rfmCell', {
              recency: cell.x,
              frequency: cell.y,
              value: cell.value === null ? '—' : number(cell.value),
            })
          }
          role="img"
          aria-label={t('marketing.stats.rfmAria')}
        />
      </Stack>
    </ChartCard>
  );
}
