import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Progress,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyServerError, QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { notifySaved } from '../lib/notify';
import { EraseCustomer, ErasureRequests } from './queries';
import type { Trust } from './trust';
import { verifyPurgeReceipt, type Verdict } from './verify';
import { VerdictView } from './Verdict';

const POLL_MS = 2000;

/** GDPR Art. 17: a two-step confirmation, then the partners' purge receipts as they arrive. */
export function ErasureView({
  customerId,
  name,
  trust,
}: {
  customerId: string;
  name: string | null;
  trust: Trust | null;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [step, setStep] = useState<0 | 1 | 2>(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [erase, { loading }] = useMutation(EraseCustomer);
  const requests = useQuery(ErasureRequests, { variables: { first: 200 }, fetchPolicy: 'network-only' });
  const request = requests.data?.erasureRequests.nodes.find((r) => r.customerId === customerId);
  const [verdicts, setVerdicts] = useState<Map<string, Verdict>>(new Map());
  const form = useForm({
    mode: 'controlled',
    initialValues: { reason: '', understood: false },
    validate: {
      reason: (v) => (v.trim().length >= 1 && v.length <= 500 ? null : t('compliance.erasure.reasonRule')),
      understood: (v) => (v ? null : t('compliance.erasure.mustConfirm')),
    },
  });

  // Poll while receipts are outstanding (each recipient answers when its purge is done).
  const { startPolling, stopPolling } = requests;
  useEffect(() => {
    if (request && !request.complete) startPolling(POLL_MS);
    else stopPolling();
    return () => stopPolling();
  }, [request, startPolling, stopPolling]);

  useEffect(() => {
    if (!request || !trust) return;
    let live = true;
    void (async () => {
      const next = new Map<string, Verdict>();
      for (const r of request.recipients)
        if (r.receiptJws)
          next.set(
            `${r.consentId}:${r.recipient}`,
            await verifyPurgeReceipt(r.receiptJws, r.recipient, trust),
          );
      if (live) setVerdicts(next);
    })();
    return () => {
      live = false;
    };
  }, [request, trust]);

  const submit = async () => {
    setFailure(null);
    try {
      await erase({ variables: { customerId, reason: form.values.reason.trim() } });
      notifySaved(t('compliance.erasure.done'));
      setStep(0);
      await requests.refetch();
    } catch (error) {
      setStep(1);
      const message = applyServerError(error, form.setFieldError, ['reason', 'customerId']);
      if (message) setFailure(t('errors.saveFailed', { message }));
    }
  };

  if (requests.error) return <QueryError error={requests.error} />;
  if (request) {
    const needed = request.recipients.filter((r) => r.status !== 'NOT_NEEDED');
    const confirmed = needed.filter((r) => r.status === 'CONFIRMED').length;
    return (
      <Stack>
        <Title order={2} size="h3">
          {t('compliance.erasure.progressTitle')}
        </Title>
        <Text size="sm">
          {t('compliance.erasure.requested', {
            at: fmt.dateTime(request.requestedAt),
            reason: request.reason,
          })}
        </Text>
        <Progress
          value={needed.length ? (100 * confirmed) / needed.length : 100}
          aria-label={t('compliance.erasure.progressLabel')}
          color={request.complete ? 'teal.9' : 'indigo.9'}
        />
        <Alert
          color={request.complete ? 'teal' : 'yellow'}
          data-testid="erasure-status"
          data-complete={String(request.complete)}
          role="status"
        >
          {request.complete
            ? t('compliance.erasure.complete', { confirmed, total: needed.length })
            : t('compliance.erasure.waiting', { confirmed, total: needed.length })}
        </Alert>
        <Table data-testid="erasure-recipients">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('compliance.flows.partner')}</Table.Th>
              <Table.Th>{t('compliance.erasure.status')}</Table.Th>
              <Table.Th>{t('compliance.erasure.purged')}</Table.Th>
              <Table.Th>{t('compliance.erasure.receipt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {request.recipients.map((r) => (
              <Table.Tr key={`${r.consentId}:${r.recipient}`}>
                <Table.Td>{r.recipient}</Table.Td>
                <Table.Td>
                  <Badge
                    color={
                      r.status === 'CONFIRMED' ? 'teal.9' : r.status === 'REQUESTED' ? 'gray.8' : 'gray.8'
                    }
                  >
                    {t(`compliance.erasure.statuses.${r.status}`)}
                  </Badge>
                  {r.confirmedAt && <Text size="xs">{fmt.dateTime(r.confirmedAt)}</Text>}
                </Table.Td>
                <Table.Td>{r.recordsPurged ?? '—'}</Table.Td>
                <Table.Td>
                  {r.receiptJws ? (
                    <VerdictView
                      verdict={verdicts.get(`${r.consentId}:${r.recipient}`)}
                      testId="receipt-verdict"
                    />
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    );
  }
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('compliance.erasure.title')}
      </Title>
      <Text size="sm">{t('compliance.erasure.explain')}</Text>
      <Group>
        <Button color="red.9" onClick={() => setStep(1)} data-testid="erase-start" disabled={!requests.data}>
          {t('compliance.erasure.start')}
        </Button>
      </Group>
      <Modal
        closeButtonProps={{ 'aria-label': t('app.close') }}
        opened={step > 0}
        onClose={() => setStep(0)}
        title={t('compliance.erasure.modalTitle', { name: name ?? customerId })}
      >
        {step === 1 ? (
          <form
            onSubmit={form.onSubmit(() => setStep(2))}
            noValidate
            aria-label={t('compliance.erasure.step1')}
          >
            <Stack>
              <Text size="sm">{t('compliance.erasure.step1Explain')}</Text>
              <TextInput
                label={t('compliance.erasure.reason')}
                description={t('compliance.erasure.reasonHint')}
                required
                {...form.getInputProps('reason')}
                data-testid="erase-reason"
              />
              <Checkbox
                label={t('compliance.erasure.understood')}
                {...form.getInputProps('understood', { type: 'checkbox' })}
                data-testid="erase-understood"
              />
              {failure && (
                <Alert color="red" role="alert">
                  {failure}
                </Alert>
              )}
              <Group justify="flex-end">
                <Button variant="default" onClick={() => setStep(0)}>
                  {t('compliance.common.cancel')}
                </Button>
                <Button type="submit" data-testid="erase-continue">
                  {t('compliance.erasure.continue')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <Stack>
            <Alert color="red">{t('compliance.erasure.step2Explain', { name: name ?? customerId })}</Alert>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setStep(1)}>
                {t('compliance.common.back')}
              </Button>
              <Button
                color="red.9"
                loading={loading}
                onClick={() => void submit()}
                data-testid="erase-confirm"
              >
                {t('compliance.erasure.confirm')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
