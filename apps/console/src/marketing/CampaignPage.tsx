import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { describeError, QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { notifySaved } from '../lib/notify';
import {
  CampaignDetail,
  LaunchCampaign,
  RecordCampaignConversion,
  RecordCampaignResponse,
  SegmentDetail,
} from './queries';

/** One campaign: launch it (audience snapshot), record responses and conversions, read its rates. */
export default function CampaignPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { number, date, money } = useFormat();
  const { data, error } = useQuery(CampaignDetail, { variables: { id } });
  const campaign = data?.campaign;
  const members = useQuery(SegmentDetail, { variables: { id: campaign?.segmentId ?? '' }, skip: !campaign });
  const [launch, launching] = useMutation(LaunchCampaign);
  const [respond, responding] = useMutation(RecordCampaignResponse);
  const [convert, converting] = useMutation(RecordCampaignConversion);
  const [customerId, setCustomerId] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  if (error) return <QueryError error={error} />;
  if (!campaign) return <Loader aria-label={t('marketing.loading')} />;
  const r = campaign.results;
  const rate = (v: number | null | undefined) =>
    v === null || v === undefined ? 0 : Math.round(v * 1000) / 10;
  const run = async (fn: () => Promise<unknown>, done: string) => {
    setFailure(null);
    try {
      await fn();
      notifySaved(done);
    } catch (e) {
      setFailure(describeError(e).message);
    }
  };
  const input = customerId ? { campaignId: campaign.id, customerId } : null;
  return (
    <Stack maw={1000}>
      <Group justify="space-between">
        <div>
          <Title order={1}>{campaign.name}</Title>
          <Text c="dimmed">
            {campaign.segment?.name} · {t(`marketing.channels.${campaign.channel}`)} ·{' '}
            {date(campaign.startsAt)} – {date(campaign.endsAt)}
          </Text>
        </div>
        <Badge size="lg" variant="outline" data-testid="campaign-status">
          {t(`marketing.campaigns.statuses.${campaign.status}`)}
        </Badge>
      </Group>
      {failure && (
        <Alert color="red.9" role="alert">
          {failure}
        </Alert>
      )}
      {campaign.status === 'DRAFT' && (
        <Button
          w="fit-content"
          loading={launching.loading}
          onClick={() =>
            void run(() => launch({ variables: { id: campaign.id } }), t('marketing.campaigns.launched'))
          }
          data-testid="launch-campaign"
        >
          {t('marketing.campaigns.launch')}
        </Button>
      )}
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Paper withBorder p="sm">
          <Text size="sm" c="dimmed">
            {t('marketing.campaigns.reach')}
          </Text>
          <Text fw={700} size="xl" data-testid="campaign-reach">
            {number(r.reach)}
          </Text>
        </Paper>
        <Paper withBorder p="sm">
          <Text size="sm" c="dimmed">
            {t('marketing.campaigns.responseRate')}
          </Text>
          <Text fw={700} size="xl" data-testid="campaign-response-rate">
            {r.responseRate === null || r.responseRate === undefined
              ? '—'
              : `${number(rate(r.responseRate))} %`}
          </Text>
          <Progress value={rate(r.responseRate)} aria-label={t('marketing.campaigns.responseRate')} />
          <Text size="xs">{t('marketing.campaigns.responses', { count: r.responses })}</Text>
        </Paper>
        <Paper withBorder p="sm">
          <Text size="sm" c="dimmed">
            {t('marketing.campaigns.conversionRate')}
          </Text>
          <Text fw={700} size="xl">
            {r.conversionRate === null || r.conversionRate === undefined
              ? '—'
              : `${number(rate(r.conversionRate))} %`}
          </Text>
          <Progress
            value={rate(r.conversionRate)}
            color="teal.9"
            aria-label={t('marketing.campaigns.conversionRate')}
          />
          <Text size="xs">{t('marketing.campaigns.conversions', { count: r.conversions })}</Text>
        </Paper>
      </SimpleGrid>
      <Text size="sm">
        {t('marketing.campaigns.ordersInPeriod', {
          orders: number(r.orders),
          revenue: r.revenue.map((m) => money(m.amount, m.currency)).join(' + ') || '—',
        })}
      </Text>
      {campaign.status === 'LAUNCHED' && (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            {t('marketing.campaigns.record')}
          </Title>
          <Group align="flex-end">
            <Select
              w={320}
              searchable
              label={t('marketing.campaigns.customer')}
              data={(members.data?.segment.members.nodes ?? []).map((m) => ({
                value: m.customerId,
                label: m.customer?.displayName ?? m.customerId,
              }))}
              value={customerId}
              onChange={setCustomerId}
              data-testid="campaign-customer"
            />
            <Button
              disabled={!input}
              loading={responding.loading}
              onClick={() =>
                input && void run(() => respond({ variables: { input } }), t('marketing.campaigns.recorded'))
              }
              data-testid="record-response"
            >
              {t('marketing.campaigns.recordResponse')}
            </Button>
            <Button
              variant="light"
              disabled={!input}
              loading={converting.loading}
              onClick={() =>
                input && void run(() => convert({ variables: { input } }), t('marketing.campaigns.recorded'))
              }
            >
              {t('marketing.campaigns.recordConversion')}
            </Button>
          </Group>
        </Paper>
      )}
    </Stack>
  );
}
