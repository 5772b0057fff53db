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
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { CampaignChannel } from './gql/graphql';
import { applyServerError, QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { notifySaved } from '../lib/notify';
import { CampaignsList, CreateCampaign, SegmentsList } from './queries';

const CHANNELS: CampaignChannel[] = ['EMAIL', 'SMS', 'PHONE', 'MAIL', 'SOCIAL', 'IN_STORE'];
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Campaigns with their response rates, and a new campaign on any segment (merged ones included). */
export default function CampaignsPage() {
  const { t } = useTranslation();
  const { number } = useFormat();
  const { data, error, loading } = useQuery(CampaignsList);
  const [params] = useSearchParams();
  const [creating, setCreating] = useState(Boolean(params.get('segment')));
  const percent = (v: number | null | undefined) =>
    v === null || v === undefined ? '—' : `${number(Math.round(v * 1000) / 10)} %`;
  const campaigns = data?.campaigns.nodes ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('marketing.campaigns.title')}</Title>
        {!creating && (
          <Button onClick={() => setCreating(true)} data-testid="new-campaign">
            {t('marketing.campaigns.new')}
          </Button>
        )}
      </Group>
      {creating && <CampaignForm segmentId={params.get('segment')} onCancel={() => setCreating(false)} />}
      {error && <QueryError error={error} />}
      {loading && !data && <Loader aria-label={t('marketing.loading')} />}
      {campaigns.length > 0 && (
        <Table striped highlightOnHover data-testid="campaigns-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('marketing.campaigns.name')}</Table.Th>
              <Table.Th>{t('marketing.campaigns.segment')}</Table.Th>
              <Table.Th>{t('marketing.campaigns.channel')}</Table.Th>
              <Table.Th>{t('marketing.campaigns.status')}</Table.Th>
              <Table.Th ta="right">{t('marketing.campaigns.reach')}</Table.Th>
              <Table.Th ta="right">{t('marketing.campaigns.responseRate')}</Table.Th>
              <Table.Th ta="right">{t('marketing.campaigns.conversionRate')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {campaigns.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/marketing/campaigns/${c.id}`}>
                    {c.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {c.segment?.name ?? '—'}{' '}
                  {c.segment?.kind === 'MERGED' && (
                    <Badge size="xs" variant="outline" color="grape.9">
                      {t('marketing.kinds.MERGED')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{t(`marketing.channels.${c.channel}`)}</Table.Td>
                <Table.Td>
                  <Badge variant="outline">{t(`marketing.campaigns.statuses.${c.status}`)}</Badge>
                </Table.Td>
                <Table.Td ta="right">{number(c.results.reach)}</Table.Td>
                <Table.Td ta="right">{percent(c.results.responseRate)}</Table.Td>
                <Table.Td ta="right">{percent(c.results.conversionRate)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function CampaignForm({ segmentId, onCancel }: { segmentId: string | null; onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const segments = useQuery(SegmentsList);
  const [create, { loading }] = useMutation(CreateCampaign, { refetchQueries: ['CampaignsList'] });
  const [failure, setFailure] = useState<string | null>(null);
  const now = new Date();
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      name: '',
      description: '',
      segmentId: segmentId ?? '',
      channel: 'EMAIL' as CampaignChannel,
      startsAt: day(now),
      endsAt: day(new Date(now.getTime() + 30 * 86_400_000)),
    },
    validate: {
      name: (v) => (!v.trim() ? t('errors.required') : null),
      segmentId: (v) => (!v ? t('errors.required') : null),
      endsAt: (v, values) => (v <= values.startsAt ? t('marketing.campaigns.endAfterStart') : null),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setFailure(null);
    try {
      const result = await create({
        variables: {
          input: {
            name: values.name,
            description: values.description || null,
            segmentId: values.segmentId,
            channel: values.channel,
            startsAt: new Date(`${values.startsAt}T00:00:00Z`).toISOString(),
            endsAt: new Date(`${values.endsAt}T00:00:00Z`).toISOString(),
          },
        },
      });
      notifySaved(t('marketing.campaigns.saved'));
      void navigate(`/marketing/campaigns/${result.data!.createCampaign.id}`);
    } catch (error) {
      const message = applyServerError(error, form.setFieldError, [
        'name',
        'description',
        'segmentId',
        'channel',
        'startsAt',
        'endsAt',
      ]);
      if (message) setFailure(t('errors.saveFailed', { message }));
    }
  });
  const options = (segments.data?.segments.nodes ?? []).map((s) => ({
    value: s.id,
    label: `${s.name} (${t(`marketing.kinds.${s.kind}`)})`,
  }));
  return (
    <Paper withBorder p="md">
      <form
        onSubmit={submit}
        noValidate
        aria-label={t('marketing.campaigns.new')}
        data-testid="campaign-form"
      >
        <Stack>
          {failure && (
            <Alert color="red.9" role="alert">
              {failure}
            </Alert>
          )}
          <Group grow align="flex-start">
            <TextInput label={t('marketing.campaigns.name')} required {...form.getInputProps('name')} />
            <Select
              label={t('marketing.campaigns.segment')}
              required
              searchable
              data={options}
              {...form.getInputProps('segmentId')}
              data-testid="campaign-segment"
            />
          </Group>
          <Group grow align="flex-start">
            <Select
              label={t('marketing.campaigns.channel')}
              allowDeselect={false}
              data={CHANNELS.map((c) => ({ value: c, label: t(`marketing.channels.${c}`) }))}
              {...form.getInputProps('channel')}
            />
            <TextInput
              type="date"
              label={t('marketing.campaigns.startsAt')}
              {...form.getInputProps('startsAt')}
            />
            <TextInput
              type="date"
              label={t('marketing.campaigns.endsAt')}
              {...form.getInputProps('endsAt')}
            />
          </Group>
          <Textarea
            label={t('marketing.campaigns.description')}
            autosize
            minRows={1}
            {...form.getInputProps('description')}
          />
          <Group>
            <Button type="submit" loading={loading} data-testid="save-campaign">
              {t('marketing.campaigns.create')}
            </Button>
            <Button variant="subtle" onClick={onCancel}>
              {t('marketing.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
