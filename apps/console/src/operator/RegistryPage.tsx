import '@mantine/charts/styles.css';
import { useQuery } from '@apollo/client/react';
import { BarChart } from '@mantine/charts';
import { Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { ConsentRegistry } from './queries';
import { PageHeader } from './ui';

/** The consent registry in counts: nothing personal is held, nothing personal is shown. */
export default function RegistryPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const { data, loading, error } = useQuery(ConsentRegistry);
  const registry = data?.consentRegistry;
  const tiles = registry
    ? [
        { key: 'total', label: t('operator.registry.total'), value: registry.total },
        { key: 'live', label: t('operator.registry.live'), value: registry.live },
        { key: 'withdrawn', label: t('operator.registry.withdrawn'), value: registry.withdrawn },
        { key: 'subjectTokens', label: t('operator.registry.subjectTokens'), value: registry.subjectTokens },
      ]
    : [];
  const perController = (registry?.byController ?? []).map((c) => ({
    controller: c.controller,
    live: c.total - c.withdrawn,
    withdrawn: c.withdrawn,
  }));

  return (
    <Stack>
      <PageHeader title={t('operator.registry.title')} intro={t('operator.registry.intro')} />
      {error && <QueryError error={error} />}
      {loading && !data && <Loader aria-label={t('operator.registry.title')} />}
      {registry && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="registry-counts">
            {tiles.map((tile) => (
              <Paper key={tile.key} withBorder p="md" data-count={tile.key}>
                <Text size="sm" c="dimmed">
                  {tile.label}
                </Text>
                <Text fz={28} fw={700}>
                  {format.number(tile.value)}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
          <Title order={2} size="h3">
            {t('operator.registry.byController')}
          </Title>
          {perController.length > 0 && (
            <figure style={{ margin: 0 }} aria-label={t('operator.registry.chartLabel')}>
              <BarChart
                h={260}
                data={perController}
                dataKey="controller"
                type="stacked"
                valueFormatter={(n) => format.number(n)}
                series={[
                  { name: 'live', label: t('operator.registry.live'), color: 'teal.8' },
                  { name: 'withdrawn', label: t('operator.registry.withdrawn'), color: 'gray.6' },
                ]}
                withLegend
              />
            </figure>
          )}
          <Table striped data-testid="registry-by-controller">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('operator.registry.controller')}</Table.Th>
                <Table.Th>{t('operator.registry.live')}</Table.Th>
                <Table.Th>{t('operator.registry.withdrawn')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {perController.map((row) => (
                <Table.Tr key={row.controller}>
                  <Table.Td>{row.controller}</Table.Td>
                  <Table.Td>{format.number(row.live)}</Table.Td>
                  <Table.Td>{format.number(row.withdrawn)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
