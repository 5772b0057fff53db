import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { applyServerError, QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { notifySaved } from '../lib/notify';
import { MergeAgreements, MergesList, ProposeSegmentMerge, SegmentsList } from './queries';

export const FINAL_MERGE_STATES = ['COMPLETED', 'FAILED'];

export function MergeStateBadge({ state, error }: { state: string; error?: string | null }) {
  const { t } = useTranslation();
  const color = state === 'COMPLETED' ? 'teal.9' : state === 'FAILED' ? 'red.9' : 'indigo.8';
  return (
    <Badge variant="filled" color={color} data-testid="merge-state">
      {error === 'declined' ? t('marketing.merges.declined') : t(`marketing.merges.states.${state}`)}
    </Badge>
  );
}

/** Segment merges with partners: propose one, and follow ours and the partners' proposals. */
export default function MergesPage() {
  const { t } = useTranslation();
  const { dateTime } = useFormat();
  const { data, error, loading } = useQuery(MergesList, { pollInterval: 5000 });
  const merges = data?.segmentMerges.nodes ?? [];
  return (
    <Stack>
      <Title order={1}>{t('marketing.merges.title')}</Title>
      <Text c="dimmed">{t('marketing.merges.intro')}</Text>
      <ProposeForm />
      {error && <QueryError error={error} />}
      {loading && !data && <Loader aria-label={t('marketing.loading')} />}
      {merges.length > 0 && (
        <Table striped highlightOnHover data-testid="merges-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('marketing.merges.partner')}</Table.Th>
              <Table.Th>{t('marketing.merges.direction')}</Table.Th>
              <Table.Th>{t('marketing.merges.ourSegment')}</Table.Th>
              <Table.Th>{t('marketing.merges.state')}</Table.Th>
              <Table.Th>{t('marketing.merges.updatedAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {merges.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/marketing/merges/${encodeURIComponent(m.id)}`}>
                    {m.partnerId}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t(`marketing.merges.roles.${m.role}`)}</Table.Td>
                <Table.Td>{m.segment?.name ?? '—'}</Table.Td>
                <Table.Td>
                  <MergeStateBadge state={m.state} error={m.error} />
                </Table.Td>
                <Table.Td>{dateTime(m.updatedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function ProposeForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const agreements = useQuery(MergeAgreements);
  const segments = useQuery(SegmentsList);
  const [propose, { loading }] = useMutation(ProposeSegmentMerge, { refetchQueries: ['MergesList'] });
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { agreementId: '', segmentId: '', bucketBy: 'COUNTRY' },
    validate: {
      agreementId: (v) => (!v ? t('errors.required') : null),
      segmentId: (v) => (!v ? t('errors.required') : null),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      const result = await propose({
        variables: {
          input: {
            agreementId: values.agreementId,
            segmentId: values.segmentId,
            ...(values.bucketBy === 'COUNTRY' ? { bucketBy: 'COUNTRY' as const } : {}),
          },
        },
      });
      notifySaved(t('marketing.merges.proposed'));
      void navigate(`/marketing/merges/${encodeURIComponent(result.data!.proposeSegmentMerge.id)}`);
    } catch (error) {
      const message = applyServerError(error, form.setFieldError, ['agreementId', 'segmentId', 'bucketBy']);
      if (message) setFailure(t('errors.saveFailed', { message }));
    }
  });
  return (
    <Paper withBorder p="md">
      <form
        onSubmit={submit}
        noValidate
        aria-label={t('marketing.merges.propose')}
        data-testid="propose-merge"
      >
        <Stack>
          <Title order={2} size="h4">
            {t('marketing.merges.propose')}
          </Title>
          {failure && (
            <Alert color="red.9" role="alert">
              {failure}
            </Alert>
          )}
          {agreements.error && <QueryError error={agreements.error} />}
          <Group grow align="flex-start">
            <Select
              label={t('marketing.merges.agreement')}
              required
              data={(agreements.data?.mergeAgreements ?? []).map((a) => ({
                value: a.agreementId,
                label: t('marketing.merges.agreementOption', { partner: a.partnerId, min: a.minCohortSize }),
              }))}
              nothingFoundMessage={t('marketing.merges.noAgreement')}
              {...form.getInputProps('agreementId')}
              data-testid="merge-agreement"
            />
            <Select
              label={t('marketing.merges.ourSegment')}
              required
              searchable
              data={(segments.data?.segments.nodes ?? [])
                .filter((s) => s.kind !== 'MERGED')
                .map((s) => ({ value: s.id, label: s.name }))}
              {...form.getInputProps('segmentId')}
              data-testid="merge-segment"
            />
            <Select
              label={t('marketing.merges.breakdown')}
              allowDeselect={false}
              data={[
                { value: 'NONE', label: t('marketing.merges.noBreakdown') },
                { value: 'COUNTRY', label: t('marketing.merges.byCountry') },
              ]}
              {...form.getInputProps('bucketBy')}
            />
          </Group>
          <Button type="submit" w="fit-content" loading={loading} data-testid="propose-submit">
            {t('marketing.merges.proposeButton')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
