import { Button, Group, Paper, SegmentedControl, Table, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { download, toCsv, type Column } from './csv';

/**
 * A chart with its table one click away and a CSV export of the same rows: people look at the
 * chart, and can still read or take the exact figures.
 */
export function ChartCard({
  title,
  description,
  columns,
  rows,
  csvName,
  testId,
  children,
}: {
  title: string;
  description?: ReactNode;
  columns: readonly Column[];
  rows: readonly Record<string, unknown>[];
  csvName: string;
  testId: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  return (
    <Paper withBorder p="md" component="section" aria-label={title} data-testid={testId}>
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} size="h4">
          {title}
        </Title>
        <Group gap="xs">
          <SegmentedControl
            size="xs"
            aria-label={t('marketing.charts.view', { title })}
            value={view}
            onChange={(v) => setView(v as 'chart' | 'table')}
            data={[
              { value: 'chart', label: t('marketing.charts.chart') },
              { value: 'table', label: t('marketing.charts.table') },
            ]}
            data-testid={`${testId}-view`}
          />
          <Button
            size="xs"
            variant="default"
            onClick={() => download(csvName, toCsv(columns, rows))}
            data-testid={`${testId}-csv`}
          >
            {t('marketing.charts.csv')}
          </Button>
        </Group>
      </Group>
      {description && (
        <Text size="sm" c="dimmed" mb="sm">
          {description}
        </Text>
      )}
      {view === 'chart' ? (
        children
      ) : (
        // Focusable so the keyboard can scroll a long table (axe: scrollable-region-focusable).
        <div style={{ maxHeight: 360, overflow: 'auto' }} tabIndex={0} role="region" aria-label={title}>
          <Table striped data-testid={`${testId}-table`}>
            <Table.Thead>
              <Table.Tr>
                {columns.map((c) => (
                  <Table.Th key={c.key} ta={c.numeric ? 'right' : undefined}>
                    {c.label}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row, i) => (
                <Table.Tr key={i}>
                  {columns.map((c) => (
                    <Table.Td key={c.key} ta={c.numeric ? 'right' : undefined}>
                      {String(row[`${c.key}Text`] ?? row[c.key] ?? '—')}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Paper>
  );
}
