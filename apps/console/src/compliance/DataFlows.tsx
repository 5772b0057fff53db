import { useQuery } from '@apollo/client/react';
import { Badge, Paper, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import type { CustomerDataFlowsQuery } from './gql/graphql';
import { DataFlows } from './queries';

type Share = CustomerDataFlowsQuery['customerDataFlows']['shares'][number];

const PURGE_COLOR: Record<string, string> = {
  CONFIRMED: 'teal.9',
  REQUESTED: 'gray.8',
  NOT_REQUESTED: 'gray.8',
};
const PURGE_STROKE: Record<string, string> = {
  CONFIRMED: '#087f5b',
  REQUESTED: '#e67700',
  NOT_REQUESTED: '#495057',
};

/** This node on the left, each recipient on the right; one arrow per recipient, labelled with what went. */
function FlowDiagram({ shares }: { shares: Share[] }) {
  const { t } = useTranslation();
  const recipients = [...new Set(shares.map((s) => s.recipient))];
  const rowHeight = 64;
  const height = Math.max(1, recipients.length) * rowHeight + 16;
  const me = { x: 16, y: height / 2 - 24, w: 160, h: 48 };
  const summary = recipients
    .map((r) => {
      const mine = shares.filter((s) => s.recipient === r);
      return t('compliance.flows.diagramRow', {
        recipient: r,
        shares: mine.length,
        records: mine.reduce((n, s) => n + s.records, 0),
        purge: t(`compliance.flows.purge.${mine.at(-1)?.purgeStatus ?? 'NOT_REQUESTED'}`),
      });
    })
    .join('; ');
  return (
    <svg
      role="img"
      aria-label={`${t('compliance.flows.diagram')}: ${summary}`}
      viewBox={`0 0 640 ${height}`}
      width="100%"
      style={{ maxWidth: 640 }}
      data-testid="flow-diagram"
    >
      <rect x={me.x} y={me.y} width={me.w} height={me.h} rx={8} fill="#edf2ff" stroke="#364fc7" />
      <text x={me.x + me.w / 2} y={me.y + 29} textAnchor="middle" fontSize={14} fill="#212529">
        {t('compliance.flows.thisNode')}
      </text>
      {recipients.map((r, i) => {
        const mine = shares.filter((s) => s.recipient === r);
        const last = mine.at(-1)?.purgeStatus ?? 'NOT_REQUESTED';
        const y = 8 + i * rowHeight + rowHeight / 2;
        const stroke = PURGE_STROKE[last] ?? '#495057';
        return (
          <g key={r}>
            <line x1={me.x + me.w} y1={me.y + me.h / 2} x2={440} y2={y} stroke={stroke} strokeWidth={2} />
            <text x={300} y={(me.y + me.h / 2 + y) / 2 - 6} textAnchor="middle" fontSize={12} fill="#212529">
              {t('compliance.flows.arrow', {
                count: mine.length,
                records: mine.reduce((n, s) => n + s.records, 0),
              })}
            </text>
            <rect x={440} y={y - 22} width={184} height={44} rx={8} fill="#f8f9fa" stroke={stroke} />
            <text x={532} y={y - 2} textAnchor="middle" fontSize={13} fill="#212529">
              {r}
            </text>
            <text x={532} y={y + 14} textAnchor="middle" fontSize={11} fill="#212529">
              {t(`compliance.flows.purge.${last}`)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Where did this customer's data go: diagram, every share, every agent access to shared data here. */
export function DataFlowsView({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { data, error } = useQuery(DataFlows, { variables: { id: customerId }, fetchPolicy: 'network-only' });
  if (error) return <QueryError error={error} />;
  const flows = data?.customerDataFlows;
  if (!flows) return <Text c="dimmed">{t('compliance.common.loading')}</Text>;
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('compliance.flows.title')}
      </Title>
      {flows.shares.length === 0 ? (
        <Text c="dimmed">{t('compliance.flows.none')}</Text>
      ) : (
        <Paper withBorder p="md">
          <FlowDiagram shares={flows.shares} />
        </Paper>
      )}
      {flows.shares.length > 0 && (
        <ScrollArea>
          <Table striped data-testid="flows-table">
            <Table.Caption>{t('compliance.flows.tableCaption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('compliance.flows.partner')}</Table.Th>
                <Table.Th>{t('compliance.flows.categories')}</Table.Th>
                <Table.Th>{t('compliance.flows.when')}</Table.Th>
                <Table.Th>{t('compliance.flows.consent')}</Table.Th>
                <Table.Th>{t('compliance.flows.records')}</Table.Th>
                <Table.Th>{t('compliance.flows.purgeReceipt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {flows.shares.map((s) => (
                <Table.Tr key={s.envelopeId}>
                  <Table.Td>{s.recipient}</Table.Td>
                  <Table.Td>{s.categories.join(', ')}</Table.Td>
                  <Table.Td>
                    {fmt.dateTime(s.sentAt)} ({t(`compliance.flows.channel.${s.channel}`, s.channel)})
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {s.consentId}
                    </Text>
                  </Table.Td>
                  <Table.Td>{fmt.number(s.records)}</Table.Td>
                  <Table.Td>
                    <Badge color={PURGE_COLOR[s.purgeStatus] ?? 'gray.8'}>
                      {t(`compliance.flows.purge.${s.purgeStatus}`)}
                    </Badge>{' '}
                    {s.purgeConfirmedAt && <Text size="xs">{fmt.dateTime(s.purgeConfirmedAt)}</Text>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      <Title order={3} size="h4">
        {t('compliance.flows.accessesTitle')}
      </Title>
      <Text size="sm">{t('compliance.flows.receivedCopies', { count: flows.receivedCopies })}</Text>
      {flows.accesses.length === 0 ? (
        <Text c="dimmed">{t('compliance.flows.noAccesses')}</Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('compliance.flows.when')}</Table.Th>
              <Table.Th>{t('compliance.flows.agent')}</Table.Th>
              <Table.Th>{t('compliance.flows.origins')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {flows.accesses.map((a) => (
              <Table.Tr key={a.accessId}>
                <Table.Td>{fmt.dateTime(a.accessedAt)}</Table.Td>
                <Table.Td>{a.userName ?? '—'}</Table.Td>
                <Table.Td>{a.originPartnerIds.join(', ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
