import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { notifySaved } from '../lib/notify';
import { ConfirmButton } from './Confirm';
import { AdminOperations, RetryDeadDeliveries } from './queries';

const POLL_MS = 5000;

/** GET /health (public, terminus): each dependency up or down. */
function useHealth(): { ok: boolean; parts: { name: string; up: boolean }[] } | null | 'unreachable' {
  const [health, setHealth] = useState<ReturnType<typeof useHealth>>(null);
  useEffect(() => {
    let stopped = false;
    const read = async () => {
      try {
        const response = await fetch('/health', { credentials: 'omit' });
        const body = (await response.json()) as {
          status: string;
          details?: Record<string, { status: string }>;
        };
        if (stopped) return;
        setHealth({
          ok: body.status === 'ok',
          parts: Object.entries(body.details ?? {}).map(([name, d]) => ({ name, up: d.status === 'up' })),
        });
      } catch {
        if (!stopped) setHealth('unreachable');
      }
    };
    void read();
    const timer = setInterval(() => void read(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  return health;
}

/** Operations: health in words, queue depths, deliveries per partner with dead letters, ledger alerts. */
export default function Operations() {
  const { t } = useTranslation();
  const f = useFormat();
  const health = useHealth();
  const { data, error, refetch } = useQuery(AdminOperations, { pollInterval: POLL_MS });
  const [retry] = useMutation(RetryDeadDeliveries);
  const nameOf = (id: string) => data?.memberDirectory.find((m) => m.partnerId === id)?.name ?? id;
  const backlog = data?.shareDeliveryBacklog ?? [];
  const dead = backlog.reduce((sum, b) => sum + b.dead, 0);
  const alerts = data?.ledgerAlerts.nodes ?? [];
  return (
    <Stack maw={1100}>
      <Title order={1}>{t('admin.ops.title')}</Title>
      {error && <QueryError error={error} />}
      <Paper withBorder p="md" component="section" aria-labelledby="health-title">
        <Title order={2} size="h4" id="health-title" mb="xs">
          {t('admin.ops.health')}
        </Title>
        <div aria-live="polite" data-testid="health">
          {health === null && <Text size="sm">{t('admin.ops.healthChecking')}</Text>}
          {health === 'unreachable' && <Alert color="red.9">{t('admin.ops.healthUnreachable')}</Alert>}
          {health && health !== 'unreachable' && (
            <Stack gap={4}>
              <Text fw={600}>{health.ok ? t('admin.ops.healthOk') : t('admin.ops.healthBad')}</Text>
              {health.parts.map((p) => (
                <Text size="sm" key={p.name}>
                  {t(p.up ? 'admin.ops.partUp' : 'admin.ops.partDown', {
                    part: t(`admin.ops.parts.${p.name}`, { defaultValue: p.name }),
                  })}
                </Text>
              ))}
            </Stack>
          )}
        </div>
      </Paper>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md" component="section" aria-labelledby="queues-title">
          <Title order={2} size="h4" id="queues-title" mb="xs">
            {t('admin.ops.queues')}
          </Title>
          <Table striped data-testid="queues">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.ops.queue')}</Table.Th>
                <Table.Th>{t('admin.ops.waiting')}</Table.Th>
                <Table.Th>{t('admin.ops.active')}</Table.Th>
                <Table.Th>{t('admin.ops.delayed')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(data?.queueDepths ?? []).map((q) => (
                <Table.Tr key={q.name}>
                  <Table.Td>{q.name}</Table.Td>
                  <Table.Td>{f.number(q.waiting)}</Table.Td>
                  <Table.Td>{f.number(q.active)}</Table.Td>
                  <Table.Td>{f.number(q.delayed)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
        <Paper withBorder p="md" component="section" aria-labelledby="deliveries-title">
          <Group justify="space-between" mb="xs">
            <Title order={2} size="h4" id="deliveries-title">
              {t('admin.ops.deliveries')}
            </Title>
            <ConfirmButton
              label={t('admin.ops.retry', { count: dead })}
              title={t('admin.ops.retryTitle')}
              body={t('admin.ops.retryBody', { count: dead })}
              confirmLabel={t('admin.ops.retryConfirm')}
              disabled={dead === 0}
              testId="retry-dead"
              onConfirm={async () => {
                const result = await retry();
                notifySaved(t('admin.ops.retried', { count: result.data?.retryDeadShareDeliveries ?? 0 }));
                await refetch();
              }}
            />
          </Group>
          {backlog.length === 0 ? (
            <Text size="sm" data-testid="no-backlog">
              {t('admin.ops.allDelivered')}
            </Text>
          ) : (
            <Table striped data-testid="backlog">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('admin.ops.partner')}</Table.Th>
                  <Table.Th>{t('admin.ops.pending')}</Table.Th>
                  <Table.Th>{t('admin.ops.dead')}</Table.Th>
                  <Table.Th>{t('admin.ops.oldest')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {backlog.map((b) => (
                  <Table.Tr key={b.recipient}>
                    <Table.Td>
                      {nameOf(b.recipient)}
                      {b.lastError && (
                        <Text size="xs" c="dimmed">
                          {b.lastError}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{f.number(b.pending)}</Table.Td>
                    <Table.Td>{b.dead > 0 ? <Badge color="red.9">{f.number(b.dead)}</Badge> : 0}</Table.Td>
                    <Table.Td>{f.dateTime(b.oldestPendingAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="md" component="section" aria-labelledby="alerts-title">
        <Title order={2} size="h4" id="alerts-title" mb="xs">
          {t('admin.ops.ledgerAlerts')}
        </Title>
        {alerts.length === 0 ? (
          <Text size="sm">{t('admin.ops.noAlerts')}</Text>
        ) : (
          <Stack gap="xs">
            {alerts.map((a) => (
              <Alert key={a.id} color="red.9" title={t(`admin.ops.alertKind.${a.kind}`)}>
                <Text size="sm">{a.message}</Text>
                <Text size="xs">{f.dateTime(a.createdAt)}</Text>
              </Alert>
            ))}
          </Stack>
        )}
      </Paper>
    </Stack>
  );
}
