import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyServerError, QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { notifySaved } from '../lib/notify';
import { ConfirmButton } from './Confirm';
import { AdminNetwork, ApplyForMembership, RotateKeys } from './queries';

const STATUS_COLOR: Record<string, string> = {
  ACTIVE: 'teal.9',
  PENDING: 'yellow.9',
  NOT_APPLIED: 'gray.7',
  REJECTED: 'red.9',
  REMOVED: 'red.9',
  SUSPENDED: 'red.9',
};

function ApplyForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [apply, { loading }] = useMutation(ApplyForMembership);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: '', endpoint: window.location.origin },
    validate: {
      name: (v) => (v.trim() ? null : t('errors.required')),
      endpoint: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? null : t('admin.network.endpointRule')),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      await apply({ variables: { input: { name: values.name.trim(), endpoint: values.endpoint.trim() } } });
      notifySaved(t('admin.network.applied'));
      onDone();
    } catch (error) {
      const message = applyServerError(error, form.setFieldError, ['name', 'endpoint']);
      if (message) setFailure(t('errors.saveFailed', { message }));
    }
  });
  return (
    <form onSubmit={submit} noValidate aria-label={t('admin.network.apply')} data-testid="apply-form">
      <Stack>
        <Title order={2} size="h4">
          {t('admin.network.apply')}
        </Title>
        <Text size="sm">{t('admin.network.applyHint')}</Text>
        {failure && (
          <Alert color="red.9" role="alert">
            {failure}
          </Alert>
        )}
        <Group grow align="flex-start">
          <TextInput label={t('admin.network.companyName')} required {...form.getInputProps('name')} />
          <TextInput label={t('admin.network.endpoint')} required {...form.getInputProps('endpoint')} />
        </Group>
        <Button type="submit" loading={loading} w="fit-content" data-testid="apply-submit">
          {t('admin.network.applySubmit')}
        </Button>
      </Stack>
    </form>
  );
}

/** Network: membership and its term, the member directory, applying, this node's keys and their rotation. */
export default function Network() {
  const { t } = useTranslation();
  const f = useFormat();
  const { data, error, refetch } = useQuery(AdminNetwork);
  const [rotate] = useMutation(RotateKeys);
  const [agreementKey, setAgreementKey] = useState(false);
  const m = data?.networkMembership;
  // Until the membership is read, no status is shown: "Not applied" would be wrong for a member.
  const status = data ? (m?.status ?? 'NOT_APPLIED') : undefined;
  const canApply = status === 'NOT_APPLIED' || status === 'REJECTED' || status === 'REMOVED';
  return (
    <Stack maw={1200}>
      <Title order={1}>{t('admin.network.title')}</Title>
      {error && <QueryError error={error} />}
      <Paper withBorder p="md" component="section" aria-labelledby="membership-title">
        <Stack>
          <Group>
            <Title order={2} size="h4" id="membership-title">
              {t('admin.network.membership')}
            </Title>
            {status && (
              <Badge color={STATUS_COLOR[status]} data-testid="membership-status">
                {t(`admin.network.status.${status}`)}
              </Badge>
            )}
          </Group>
          {status ? (
            <Text size="sm">{t(`admin.network.statusText.${status}`)}</Text>
          ) : (
            !error && <Loader size="sm" role="status" aria-label={t('admin.network.membershipLoading')} />
          )}
          {m && (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
              <Text size="sm">
                {t('admin.network.federation', { id: m.federationId, url: m.federationUrl })}
              </Text>
              <Text size="sm">{t('admin.network.partnerId', { id: m.partnerId })}</Text>
              {m.appliedAt && (
                <Text size="sm">{t('admin.network.appliedAt', { at: f.dateTime(m.appliedAt) })}</Text>
              )}
              {m.validUntil && (
                <Text size="sm" data-testid="membership-term">
                  {t('admin.network.term', { until: f.date(m.validUntil) })}
                </Text>
              )}
            </SimpleGrid>
          )}
          {data && canApply && <ApplyForm onDone={() => void refetch()} />}
        </Stack>
      </Paper>

      <Paper withBorder p="md" component="section" aria-labelledby="directory-title">
        <Title order={2} size="h4" id="directory-title" mb="sm">
          {t('admin.network.directory')}
        </Title>
        <Table striped data-testid="directory">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.network.member')}</Table.Th>
              <Table.Th>{t('admin.network.memberStatus')}</Table.Th>
              <Table.Th>{t('admin.network.until')}</Table.Th>
              <Table.Th>{t('admin.network.keys')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data?.memberDirectory ?? []).map((d) => (
              <Table.Tr key={d.partnerId}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {d.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {d.partnerId} · {d.endpoint}
                  </Text>
                </Table.Td>
                <Table.Td>{t(`admin.network.status.${d.status}`)}</Table.Td>
                <Table.Td>{f.date(d.validUntil)}</Table.Td>
                <Table.Td>{t('admin.network.keyCount', { count: d.keys.length })}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {data && data.memberDirectory.length === 0 && <Text size="sm">{t('admin.network.noDirectory')}</Text>}
      </Paper>

      <Paper withBorder p="md" component="section" aria-labelledby="keys-title">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="keys-title">
            {t('admin.network.nodeKeys')}
          </Title>
          <ConfirmButton
            label={t('admin.network.rotate')}
            title={t('admin.network.rotateTitle')}
            body={t('admin.network.rotateBody')}
            confirmLabel={t('admin.network.rotate')}
            color="red.9"
            testId="rotate-keys"
            onConfirm={async () => {
              const result = await rotate({ variables: { agreementKey } });
              const r = result.data!.rotateKeys;
              notifySaved(
                t(r.announced ? 'admin.network.rotatedAnnounced' : 'admin.network.rotated', {
                  kids: r.newKids.map((k) => k.slice(0, 8)).join(', '),
                }),
              );
              await refetch();
            }}
          >
            <Checkbox
              label={t('admin.network.agreementKeyToo')}
              checked={agreementKey}
              onChange={(e) => setAgreementKey(e.currentTarget.checked)}
            />
          </ConfirmButton>
        </Group>
        <Table striped data-testid="node-keys">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.network.kid')}</Table.Th>
              <Table.Th>{t('admin.network.use')}</Table.Th>
              <Table.Th>{t('admin.network.keyStatus')}</Table.Th>
              <Table.Th>{t('admin.network.activated')}</Table.Th>
              <Table.Th>{t('admin.network.retired')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data?.nodeKeys ?? []).map((k) => (
              <Table.Tr key={k.kid} data-status={k.status}>
                <Table.Td>
                  <Text size="xs" ff="monospace">
                    {k.kid}
                  </Text>
                </Table.Td>
                <Table.Td>{t(`admin.network.keyUse.${k.use}`)}</Table.Td>
                <Table.Td>
                  <Badge color={k.status === 'ACTIVE' ? 'teal.9' : 'gray.7'}>
                    {t(`admin.network.keyState.${k.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{f.dateTime(k.activatedAt)}</Table.Td>
                <Table.Td>{f.dateTime(k.retiredAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
