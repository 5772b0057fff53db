import { useQuery } from '@apollo/client/react';
import { Alert, Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { ConsentHistory } from './queries';
import type { Trust } from './trust';
import { verifyConsentAct, type Verdict } from './verify';
import { VerdictView } from './Verdict';

/** Every consent act of the customer with its ledger proof, each verified in this browser. */
export function ConsentHistoryView({ customerId, trust }: { customerId: string; trust: Trust | null }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { data, error } = useQuery(ConsentHistory, {
    variables: { id: customerId },
    fetchPolicy: 'network-only',
  });
  const [verdicts, setVerdicts] = useState<Map<string, Verdict>>(new Map());
  const history = data?.customerConsentHistory;
  useEffect(() => {
    if (!history || !trust) return;
    let live = true;
    void (async () => {
      const next = new Map<string, Verdict>();
      for (const item of history.consents) {
        next.set(`${item.consent.id}:receipt`, await verifyConsentAct(item.receipt, trust));
        if (item.withdrawal)
          next.set(`${item.consent.id}:withdrawal`, await verifyConsentAct(item.withdrawal, trust));
      }
      if (live) setVerdicts(next);
    })();
    return () => {
      live = false;
    };
  }, [history, trust]);
  if (error) return <QueryError error={error} />;
  if (!history) return <Text c="dimmed">{t('compliance.common.loading')}</Text>;
  const failed = [...verdicts.values()].filter((v) => !v.ok).length;
  const total = history.consents.reduce((n, item) => n + (item.withdrawal ? 2 : 1), 0);
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('compliance.consents.title')}
      </Title>
      <Text size="sm">{t('compliance.consents.explain', { origin: history.ledgerOrigin })}</Text>
      {verdicts.size === total && total > 0 && (
        <Alert color={failed ? 'red' : 'teal'} data-testid="consents-summary" role="status">
          {failed
            ? t('compliance.consents.someFailed', { failed, total })
            : t('compliance.consents.allVerified', { count: total })}
        </Alert>
      )}
      {history.consents.length === 0 && <Text c="dimmed">{t('compliance.consents.none')}</Text>}
      {history.consents.map((item) => (
        <Card withBorder key={item.consent.id} data-testid="consent-item">
          <Stack gap="xs">
            <Group justify="space-between">
              <Text fw={600}>
                {item.consent.purposes.map((p) => t(`compliance.purposes.${p}`, p)).join(', ')}
              </Text>
              <Badge color="indigo.9">
                {t(`compliance.consents.status.${item.consent.status}`, item.consent.status)}
              </Badge>
            </Group>
            <Text size="sm">
              {t('compliance.consents.detail', {
                categories: item.consent.categories.join(', '),
                recipients: item.consent.recipients.join(', '),
                notice: item.noticeVersion,
              })}
            </Text>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Stack gap={4}>
                <Text size="sm" fw={600}>
                  {t('compliance.consents.receipt', { at: fmt.dateTime(item.receipt.at) })}
                </Text>
                <VerdictView verdict={verdicts.get(`${item.consent.id}:receipt`)} testId="verdict" />
              </Stack>
              {item.withdrawal && (
                <Stack gap={4}>
                  <Text size="sm" fw={600}>
                    {t('compliance.consents.withdrawal', { at: fmt.dateTime(item.withdrawal.at) })}
                  </Text>
                  <VerdictView verdict={verdicts.get(`${item.consent.id}:withdrawal`)} testId="verdict" />
                </Stack>
              )}
            </SimpleGrid>
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
