import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  AdminAgreementsQuery,
  AgreementDirection,
  DataCategory,
  MergeBucket,
  Purpose,
} from './gql/graphql';
import { applyServerError, QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { notifySaved } from '../lib/notify';
import { ConfirmButton } from './Confirm';
import {
  AcceptAgreement,
  AdminAgreements,
  ProposeAgreement,
  RefreshAgreements,
  TerminateAgreement,
} from './queries';

type Agreement = AdminAgreementsQuery['sharingAgreements']['nodes'][number];
const PURPOSES: Purpose[] = ['CUSTOMER_CARE', 'MARKETING', 'ANALYTICS'];
const CATEGORIES: DataCategory[] = ['CONTACT', 'CARE_HISTORY', 'ORDERS', 'SEGMENT_MEMBERSHIP'];
const DIRECTIONS: AgreementDirection[] = ['MUTUAL', 'OUTBOUND', 'INBOUND'];
const STATE_COLOR: Record<string, string> = {
  ACTIVE: 'teal.9',
  ACCEPTED: 'teal.9',
  PROPOSED: 'yellow.9',
  TERMINATED: 'gray.7',
  EXPIRED: 'gray.7',
};

function inOneYear(): string {
  const d = new Date();
  d.setFullYear(d.getFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

function ProposeForm({
  partners,
  onDone,
}: {
  partners: { value: string; label: string }[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [propose, { loading }] = useMutation(ProposeAgreement);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      partnerId: '',
      direction: 'MUTUAL' as AgreementDirection,
      purposes: ['CUSTOMER_CARE'] as string[],
      categories: ['CARE_HISTORY'] as string[],
      retentionDays: 90 as number | string,
      minCohortSize: 10 as number | string,
      byCountry: false,
      validUntil: inOneYear(),
    },
    validate: {
      partnerId: (v) => (v ? null : t('errors.required')),
      purposes: (v) => (v.length ? null : t('admin.common.pickOne')),
      categories: (v) => (v.length ? null : t('admin.common.pickOne')),
      retentionDays: (v) =>
        Number(v) >= 1 && Number(v) <= 3650 ? null : t('admin.agreements.retentionRule'),
      minCohortSize: (v) => (Number(v) >= 1 ? null : t('admin.agreements.cohortRule')),
      validUntil: (v) => (Date.parse(v) > Date.now() ? null : t('admin.agreements.validUntilRule')),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      await propose({
        variables: {
          input: {
            partnerId: values.partnerId,
            direction: values.direction,
            purposes: values.purposes as Purpose[],
            categories: values.categories as DataCategory[],
            retentionDays: Number(values.retentionDays),
            minCohortSize: Number(values.minCohortSize),
            mergeBuckets: values.byCountry ? (['COUNTRY'] as MergeBucket[]) : [],
            validUntil: new Date(`${values.validUntil}T23:59:59Z`).toISOString(),
          },
        },
      });
      notifySaved(t('admin.agreements.proposed'));
      form.reset();
      onDone();
    } catch (error) {
      const message = applyServerError(error, form.setFieldError, [
        'partnerId',
        'direction',
        'purposes',
        'categories',
        'retentionDays',
        'minCohortSize',
        'validUntil',
      ]);
      if (message) setFailure(t('errors.saveFailed', { message }));
    }
  });
  return (
    <Paper withBorder p="md">
      <form
        onSubmit={submit}
        noValidate
        aria-label={t('admin.agreements.propose')}
        data-testid="propose-agreement"
      >
        <Stack>
          <Title order={2} size="h4">
            {t('admin.agreements.propose')}
          </Title>
          {failure && (
            <Alert color="red.9" role="alert">
              {failure}
            </Alert>
          )}
          <Group grow align="flex-start">
            <Select
              label={t('admin.agreements.partner')}
              required
              data={partners}
              {...form.getInputProps('partnerId')}
              data-testid="propose-partner"
            />
            <Select
              label={t('admin.agreements.direction')}
              allowDeselect={false}
              data={DIRECTIONS.map((d) => ({ value: d, label: t(`admin.agreements.directions.${d}`) }))}
              {...form.getInputProps('direction')}
            />
          </Group>
          <Checkbox.Group label={t('admin.agreements.purposes')} required {...form.getInputProps('purposes')}>
            <Group mt={4}>
              {PURPOSES.map((p) => (
                <Checkbox key={p} value={p} label={t(`purpose.${p}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Checkbox.Group
            label={t('admin.agreements.categories')}
            required
            {...form.getInputProps('categories')}
          >
            <Group mt={4}>
              {CATEGORIES.map((c) => (
                <Checkbox key={c} value={c} label={t(`category.${c}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Group grow align="flex-start">
            <NumberInput
              label={t('admin.agreements.retention')}
              min={1}
              max={3650}
              required
              {...form.getInputProps('retentionDays')}
              data-testid="propose-retention"
            />
            <NumberInput
              label={t('admin.agreements.minCohort')}
              min={1}
              required
              {...form.getInputProps('minCohortSize')}
            />
            <TextInput
              type="date"
              label={t('admin.agreements.validUntil')}
              required
              {...form.getInputProps('validUntil')}
            />
          </Group>
          <Checkbox
            label={t('admin.agreements.byCountry')}
            {...form.getInputProps('byCountry', { type: 'checkbox' })}
          />
          <Button type="submit" loading={loading} w="fit-content" data-testid="propose-submit">
            {t('admin.agreements.proposeSubmit')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

function History({ agreement, nameOf }: { agreement: Agreement; nameOf: (id: string) => string }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Timeline
      active={agreement.chain.length - 1}
      bulletSize={14}
      lineWidth={2}
      data-testid="agreement-timeline"
    >
      {agreement.chain.map((link, i) => (
        <Timeline.Item key={i} title={t(`admin.agreements.state.${link.to}`)}>
          <Text size="xs">
            {t('admin.agreements.signedBy', { who: nameOf(link.by), at: f.dateTime(link.at) })}
          </Text>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

/** Agreements with partners: propose, accept, terminate (confirmed), each one's signed history. */
export default function Agreements() {
  const { t } = useTranslation();
  const f = useFormat();
  const { data, error, refetch } = useQuery(AdminAgreements);
  const [accept] = useMutation(AcceptAgreement);
  const [terminate] = useMutation(TerminateAgreement);
  const [reason, setReason] = useState('');
  const [sync, syncing] = useMutation(RefreshAgreements);
  // The list is the node's verified mirror: pull the federation's chains first (a partner's proposal, acceptance…).
  const refresh = async () => {
    await sync().catch(() => undefined);
    await refetch();
  };
  useEffect(() => {
    void sync()
      .catch(() => undefined)
      .then(() => refetch());
  }, [sync, refetch]);
  const directory = data?.memberDirectory ?? [];
  const nameOf = (id: string) => directory.find((m) => m.partnerId === id)?.name ?? id;
  const agreements = data?.sharingAgreements.nodes ?? [];
  const self = data?.networkMembership?.partnerId;
  const offered = directory
    .filter((m) => m.status === 'ACTIVE' && m.partnerId !== self)
    .map((m) => ({ value: m.partnerId, label: m.name }));
  return (
    <Stack maw={1200}>
      <Group justify="space-between">
        <Title order={1}>{t('admin.agreements.title')}</Title>
        <Button
          variant="default"
          onClick={() => void refresh()}
          loading={syncing.loading}
          data-testid="refresh-agreements"
        >
          {t('admin.agreements.refresh')}
        </Button>
      </Group>
      <Text c="dimmed">{t('admin.agreements.intro')}</Text>
      {error && <QueryError error={error} />}
      {data && data.networkMembership?.status !== 'ACTIVE' && (
        <Alert color="yellow" styles={{ message: { color: 'var(--mantine-color-black)' } }}>
          {t('admin.agreements.notMember')}
        </Alert>
      )}
      <Stack gap="sm" data-testid="agreements">
        {agreements.map((a) => {
          const incoming = a.state === 'PROPOSED' && a.proposer !== self;
          return (
            <Paper
              withBorder
              p="md"
              key={a.agreementId}
              data-testid={`agreement-${a.agreementId}`}
              component="article"
              aria-label={nameOf(a.partnerId)}
            >
              <Group justify="space-between" align="flex-start">
                <Stack gap={4}>
                  <Group gap="xs">
                    <Title order={2} size="h5">
                      {nameOf(a.partnerId)}
                    </Title>
                    <Badge color={STATE_COLOR[a.state]} data-testid="agreement-state">
                      {t(`admin.agreements.state.${a.state}`)}
                    </Badge>
                    <Badge variant="outline">{t(`admin.agreements.directions.${a.direction}`)}</Badge>
                    {incoming && <Badge color="yellow.9">{t('admin.agreements.awaitsYou')}</Badge>}
                  </Group>
                  <Text size="sm">
                    {a.purposes.map((p) => t(`purpose.${p}`)).join(', ')} ·{' '}
                    {a.categories.map((c) => t(`category.${c}`)).join(', ')}
                  </Text>
                  <Text size="sm" data-testid="agreement-terms">
                    {t('admin.agreements.terms', {
                      days: a.retentionDays,
                      cohort: a.minCohortSize,
                      from: f.date(a.validFrom),
                      until: f.date(a.validUntil),
                    })}
                  </Text>
                  <Group gap="xs">
                    {incoming && (
                      <ConfirmButton
                        label={t('admin.agreements.accept')}
                        title={t('admin.agreements.acceptTitle', { partner: nameOf(a.partnerId) })}
                        body={t('admin.agreements.acceptBody')}
                        confirmLabel={t('admin.agreements.accept')}
                        testId="accept-agreement"
                        onConfirm={async () => {
                          await accept({ variables: { agreementId: a.agreementId } });
                          notifySaved(t('admin.agreements.accepted'));
                          await refetch();
                        }}
                      />
                    )}
                    {(a.state === 'ACTIVE' || a.state === 'ACCEPTED' || a.state === 'PROPOSED') && (
                      <ConfirmButton
                        label={t('admin.agreements.terminate')}
                        title={t('admin.agreements.terminateTitle', { partner: nameOf(a.partnerId) })}
                        body={t('admin.agreements.terminateBody')}
                        confirmLabel={t('admin.agreements.terminate')}
                        color="red.9"
                        testId="terminate-agreement"
                        onConfirm={async () => {
                          await terminate({
                            variables: { agreementId: a.agreementId, reason: reason || null },
                          });
                          setReason('');
                          notifySaved(t('admin.agreements.terminated'));
                          await refetch();
                        }}
                      >
                        <TextInput
                          label={t('admin.agreements.reason')}
                          value={reason}
                          onChange={(e) => setReason(e.currentTarget.value)}
                        />
                      </ConfirmButton>
                    )}
                  </Group>
                </Stack>
                <History agreement={a} nameOf={nameOf} />
              </Group>
            </Paper>
          );
        })}
        {data && agreements.length === 0 && <Text>{t('admin.agreements.none')}</Text>}
      </Stack>
      <ProposeForm partners={offered} onDone={() => void refetch()} />
    </Stack>
  );
}
