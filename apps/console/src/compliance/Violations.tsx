import { useQuery } from '@apollo/client/react';
import { Accordion, Alert, Badge, Group, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { Violations } from './queries';

/** The violations report: every check with its count, each finding one drill-down away. */
export default function ViolationsScreen() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { data, error } = useQuery(Violations, { fetchPolicy: 'network-only' });
  if (error) return <QueryError error={error} />;
  const report = data?.complianceViolations;
  return (
    <Stack>
      <Title order={1}>{t('compliance.violations.title')}</Title>
      {!report ? (
        <Text c="dimmed">{t('compliance.common.loading')}</Text>
      ) : (
        <>
          <Alert color={report.total ? 'red' : 'teal'} data-testid="violations-total" role="status">
            {report.total
              ? t('compliance.violations.found', {
                  total: report.total,
                  at: fmt.dateTime(report.generatedAt),
                })
              : t('compliance.violations.clean', { at: fmt.dateTime(report.generatedAt) })}
          </Alert>
          <Accordion multiple variant="contained">
            {report.checks.map((check) => {
              const findings = report.violations.filter((v) => v.kind === check.kind);
              return (
                <Accordion.Item key={check.kind} value={check.kind} data-testid="violation-check">
                  <Accordion.Control disabled={check.count === 0}>
                    <Group justify="space-between" wrap="nowrap">
                      <Text size="sm">
                        {t(`compliance.violations.kinds.${check.kind}`, check.description)}
                      </Text>
                      <Badge color={check.count ? 'red.9' : 'teal.9'}>{fmt.number(check.count)}</Badge>
                    </Group>
                  </Accordion.Control>
                  <Accordion.Panel>
                    <Text size="xs" c="dimmed" mb="xs">
                      {check.description}
                    </Text>
                    <ScrollArea>
                      <Table>
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th>{t('compliance.violations.when')}</Table.Th>
                            <Table.Th>{t('compliance.violations.side')}</Table.Th>
                            <Table.Th>{t('compliance.flows.partner')}</Table.Th>
                            <Table.Th>{t('compliance.violations.ids')}</Table.Th>
                            <Table.Th>{t('compliance.violations.detail')}</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {findings.map((v, i) => (
                            <Table.Tr key={`${v.envelopeId ?? v.recordId ?? ''}-${i}`}>
                              <Table.Td>{fmt.dateTime(v.at)}</Table.Td>
                              <Table.Td>{t(`compliance.violations.sides.${v.side}`, v.side)}</Table.Td>
                              <Table.Td>{v.partnerId ?? '—'}</Table.Td>
                              <Table.Td>
                                <Text size="xs" ff="monospace">
                                  {[v.consentId, v.agreementId, v.envelopeId, v.recordId]
                                    .filter(Boolean)
                                    .join(' · ')}
                                </Text>
                              </Table.Td>
                              <Table.Td>{v.detail}</Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    </ScrollArea>
                  </Accordion.Panel>
                </Accordion.Item>
              );
            })}
          </Accordion>
        </>
      )}
    </Stack>
  );
}
