import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CareCaseStatus } from '../gql/graphql';
import { notifySaved } from '../lib/notify';
import { applyServerError, QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { ChangeCareCaseStatus, CustomerCareCases, RecordCareCaseFeedback } from './actions.queries';

// The server's workflow (care-case.enums.ts) and rules: RESOLVED needs a resolution; feedback 1–5 on RESOLVED/CLOSED.
const NEXT: Record<CareCaseStatus, CareCaseStatus[]> = {
  OPEN: ['PENDING', 'RESOLVED', 'CLOSED'],
  PENDING: ['OPEN', 'RESOLVED', 'CLOSED'],
  RESOLVED: ['CLOSED', 'OPEN'],
  CLOSED: ['OPEN'],
};
const MAX_RESOLUTION = 10_000;
const MAX_COMMENT = 2_000;

interface CaseRow {
  id: string;
  subject: string;
  status: CareCaseStatus;
}

function StatusChange({ row, onDone }: { row: CaseRow; onDone: () => void }) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<string | null>(null);
  const [change, { loading }] = useMutation(ChangeCareCaseStatus);
  const form = useForm({
    mode: 'controlled',
    initialValues: { status: NEXT[row.status][0] as CareCaseStatus, resolution: '' },
    validate: {
      resolution: (v, values) =>
        values.status === 'RESOLVED' && !v.trim()
          ? t('errors.required')
          : v.length > MAX_RESOLUTION
            ? t('errors.maxLength', { max: MAX_RESOLUTION })
            : null,
    },
  });
  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      await change({
        variables: { id: row.id, input: { status: values.status, resolution: values.resolution || null } },
      });
      notifySaved(t('careCase.statusChanged'));
      onDone();
    } catch (error) {
      const message = applyServerError(error, form.setFieldError, ['status', 'resolution']);
      if (message) setFailure(t('errors.saveFailed', { message }));
    }
  });
  return (
    <form onSubmit={submit} noValidate aria-label={`${t('careCase.change')}: ${row.subject}`}>
      {failure && (
        <Alert color="red.9" role="alert">
          {failure}
        </Alert>
      )}
      <Group align="flex-end">
        <Select
          label={t('careCase.moveTo')}
          allowDeselect={false}
          w={160}
          data={NEXT[row.status].map((s) => ({ value: s, label: t(`caseStatus.${s}`) }))}
          {...form.getInputProps('status')}
        />
        {form.values.status === 'RESOLVED' && (
          <TextInput label={t('careCase.resolution')} required {...form.getInputProps('resolution')} />
        )}
        <Button type="submit" variant="light" loading={loading}>
          {t('careCase.change')}
        </Button>
      </Group>
    </form>
  );
}

function Feedback({ row, onDone }: { row: CaseRow; onDone: () => void }) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<string | null>(null);
  const [record, { loading }] = useMutation(RecordCareCaseFeedback);
  const form = useForm({
    mode: 'controlled',
    initialValues: { satisfaction: 5 as number | string, comment: '' },
    validate: {
      satisfaction: (v) =>
        Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 5 ? null : t('careCase.satisfaction'),
      comment: (v) => (v.length > MAX_COMMENT ? t('errors.maxLength', { max: MAX_COMMENT }) : null),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      await record({
        variables: {
          id: row.id,
          input: { satisfaction: Number(values.satisfaction), comment: values.comment || null },
        },
      });
      notifySaved(t('careCase.feedbackSaved'));
      onDone();
    } catch (error) {
      const message = applyServerError(error, form.setFieldError, ['satisfaction', 'comment']);
      if (message) setFailure(t('errors.saveFailed', { message }));
    }
  });
  return (
    <form onSubmit={submit} noValidate aria-label={`${t('careCase.feedback')}: ${row.subject}`}>
      {failure && (
        <Alert color="red.9" role="alert">
          {failure}
        </Alert>
      )}
      <Group align="flex-end">
        <NumberInput
          label={t('careCase.satisfaction')}
          min={1}
          max={5}
          w={170}
          {...form.getInputProps('satisfaction')}
        />
        <TextInput label={t('careCase.comment')} {...form.getInputProps('comment')} />
        <Button type="submit" variant="light" loading={loading}>
          {t('careCase.saveFeedback')}
        </Button>
      </Group>
    </form>
  );
}

/** The customer's care cases: move each through its workflow, record satisfaction once resolved. */
export function CareCases({ customerId, onChanged }: { customerId: string; onChanged: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { data, error, refetch } = useQuery(CustomerCareCases, { variables: { customerId } });
  const done = () => {
    void refetch();
    onChanged();
  };
  if (error) return <QueryError error={error} />;
  const rows = data?.careCases.nodes ?? [];
  return (
    <Stack gap="xs" data-testid="care-cases">
      {rows.length === 0 && <Text c="dimmed">{t('careCase.noCases')}</Text>}
      {rows.map((row) => (
        <Paper withBorder p="sm" key={row.id} data-testid="care-case">
          <Group justify="space-between">
            <Text fw={600}>{row.subject}</Text>
            <Group gap="xs">
              <Badge>{t(`caseStatus.${row.status}`)}</Badge>
              <Badge variant="outline">{t(`priority.${row.priority}`)}</Badge>
              <Text size="sm" c="dimmed">
                {f.dateTime(row.openedAt)}
              </Text>
            </Group>
          </Group>
          <Stack gap="xs" mt="xs">
            <StatusChange row={row} onDone={done} />
            {(row.status === 'RESOLVED' || row.status === 'CLOSED') &&
              (row.satisfaction ? (
                <Text size="sm">{t('careCase.recordedSatisfaction', { value: row.satisfaction })}</Text>
              ) : (
                <Feedback row={row} onDone={done} />
              ))}
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
