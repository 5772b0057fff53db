import { useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, Chip, Group, Loader, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelineKind } from '../gql/graphql';
import { useFormat } from '../lib/format';
import { describeError, QueryError } from '../lib/errors';
import { CustomerTimeline } from './queries';
import { reasonInput, useSharedHistoryReason } from './reason';
import { SharedHistoryReasonPicker } from './SharedHistoryReasonPicker';

const KINDS: TimelineKind[] = ['INTERACTION', 'CARE_CASE', 'ORDER'];
const PAGE = 25;
const LOCAL = '__local__';

export interface PartnerInfo {
  name: string;
  purposes: Record<string, string[]>;
}

/**
 * One timeline: this node's interactions, care cases and orders with the partners' shared items
 * (each with its provenance), newest first, keyset-paged; the next page loads when the end scrolls in.
 */
export function Timeline({
  customerId,
  partners,
  onChanged,
}: {
  customerId: string;
  partners: Map<string, PartnerInfo>;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [kinds, setKinds] = useState<TimelineKind[]>(KINDS);
  const [source, setSource] = useState<string | null>(null);
  const [reason, setReason] = useSharedHistoryReason();
  const { data, previousData, loading, error, fetchMore } = useQuery(CustomerTimeline, {
    variables: {
      customerId,
      first: PAGE,
      kinds: kinds.length === KINDS.length ? null : kinds,
      reason: reason ? reasonInput(reason) : null,
    },
    notifyOnNetworkStatusChange: true,
  });
  // A refused reason or the agent's hourly limit: no page at all (not a previous reason's shared items).
  const connection = error ? undefined : (data ?? previousData)?.customerTimeline;
  const failure = error ? describeError(error) : null;
  const reasonError =
    failure?.code === 'BAD_USER_INPUT' && failure.field === 'reason'
      ? t(
          `reason.error.${failure.reason === 'REASON_STALE' || failure.reason === 'REASON_UNKNOWN' ? failure.reason : 'REASON_REQUIRED'}`,
        )
      : null;
  const rateLimited = failure?.code === 'TOO_MANY_REQUESTS' ? failure : null;
  const sentinel = useRef<HTMLDivElement>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const loadMore = async () => {
    if (!connection?.pageInfo.hasNextPage || loadingMore) return;
    setLoadingMore(true);
    try {
      await fetchMore({
        variables: { after: connection.pageInfo.endCursor },
        updateQuery: (prev, { fetchMoreResult }) => ({
          customerTimeline: {
            ...fetchMoreResult.customerTimeline,
            // Only the first page asks the partners: what it said about them stays.
            partial: prev.customerTimeline.partial,
            unavailablePartners: prev.customerTimeline.unavailablePartners,
            nodes: [...prev.customerTimeline.nodes, ...fetchMoreResult.customerTimeline.nodes],
          },
        }),
      });
    } finally {
      setLoadingMore(false);
    }
  };

  useEffect(() => {
    const el = sentinel.current;
    if (!el) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadMore();
    });
    observer.observe(el);
    return () => observer.disconnect();
  });

  const items = useMemo(
    () =>
      (connection?.nodes ?? []).filter((item) =>
        source === null ? true : source === LOCAL ? item.origin === 'LOCAL' : item.originPartnerId === source,
      ),
    [connection, source],
  );
  const sourceOptions = useMemo(() => {
    const ids = new Set(
      (connection?.nodes ?? []).flatMap((n) => (n.originPartnerId ? [n.originPartnerId] : [])),
    );
    for (const id of partners.keys()) ids.add(id);
    return [
      { value: LOCAL, label: t('timeline.thisNode') },
      ...[...ids].map((id) => ({ value: id, label: partners.get(id)?.name ?? id })),
    ];
  }, [connection, partners, t]);

  return (
    <Stack gap="sm" component="section" aria-labelledby="timeline-title">
      <Title order={2} size="h3" id="timeline-title">
        {t('timeline.title')}
      </Title>
      <Group align="flex-end">
        <Chip.Group multiple value={kinds} onChange={(v) => v.length && setKinds(v as TimelineKind[])}>
          <Group gap="xs" role="group" aria-label={t('timeline.kinds')}>
            {KINDS.map((k) => (
              <Chip key={k} value={k} size="sm">
                {t(`kind.${k}`)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        <Select
          label={t('timeline.partner')}
          placeholder={t('timeline.allSources')}
          clearable
          size="xs"
          w={220}
          data={sourceOptions}
          value={source}
          onChange={setSource}
          data-testid="timeline-source"
        />
      </Group>
      <SharedHistoryReasonPicker
        customerId={customerId}
        reason={reason}
        onReason={setReason}
        prompt={connection?.sharedHistoryNeedsReason ?? false}
        reasonError={reasonError}
        onCreated={onChanged}
      />
      {rateLimited ? (
        <Alert color="yellow.9" role="status" data-testid="reason-rate-limited">
          {t('reason.rateLimited', {
            time: f.time(Date.now() + (rateLimited.retryAfterSeconds ?? 60) * 1000),
          })}
        </Alert>
      ) : (
        error && !reasonError && <QueryError error={error} />
      )}
      {connection?.partial && (
        <Alert color="yellow.9" role="status" data-testid="timeline-partial">
          {connection.unavailablePartners.length
            ? t('timeline.partial', {
                partners: connection.unavailablePartners.map((id) => partners.get(id)?.name ?? id).join(', '),
              })
            : t('timeline.partialUnknown')}
        </Alert>
      )}
      {!loading && connection && items.length === 0 && <Text c="dimmed">{t('timeline.empty')}</Text>}
      <ol style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="timeline">
        {items.map((item) => {
          const shared = item.origin === 'PARTNER';
          const record = item.record;
          const partner = item.originPartnerId ? partners.get(item.originPartnerId) : undefined;
          const purposes =
            record.__typename === 'SharedRecord'
              ? (partner?.purposes[record.agreementId] ?? ['CUSTOMER_CARE'])
              : [];
          return (
            <li
              key={`${item.origin}:${item.kind}:${item.recordId}`}
              data-testid={shared ? 'timeline-shared' : 'timeline-local'}
            >
              <Paper
                withBorder
                p="sm"
                mb="xs"
                style={shared ? { borderLeft: '4px solid var(--mantine-color-teal-6)' } : undefined}
              >
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <div>
                    <Group gap="xs">
                      <Badge variant="light">{t(`kind.${item.kind}`)}</Badge>
                      {record.__typename === 'CareCase' && (
                        <Badge variant="outline">{t(`caseStatus.${record.status}`)}</Badge>
                      )}
                      {record.__typename === 'Interaction' && (
                        <Badge variant="outline">{t(`channel.${record.channel}`)}</Badge>
                      )}
                      <Text fw={600}>{item.title}</Text>
                    </Group>
                    {item.summary && (
                      <Text size="sm" mt={4}>
                        {item.summary}
                      </Text>
                    )}
                    {record.__typename === 'Order' && (
                      <Text size="sm">{f.money(record.total.amount, record.total.currency)}</Text>
                    )}
                  </div>
                  <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    <time dateTime={item.occurredAt}>{f.dateTime(item.occurredAt)}</time>
                  </Text>
                </Group>
                {shared && (
                  <Group gap="md" mt="xs" data-testid="provenance">
                    <Badge color="teal.9" variant="outline">
                      {t('timeline.sharedBy', { partner: partner?.name ?? item.originPartnerId })}
                    </Badge>
                    <Text size="xs">
                      {t('timeline.purpose')}: {purposes.map((p) => t(`purpose.${p}`)).join(', ')}
                    </Text>
                    <Text size="xs">
                      {t('timeline.consent')}: <code>{item.consentId?.slice(0, 8)}</code>
                    </Text>
                    <Badge color={item.signatureStatus === 'VERIFIED' ? 'teal.9' : 'red.9'} variant="outline">
                      {t(`signature.${item.signatureStatus ?? 'UNVERIFIED'}`)}
                    </Badge>
                    <Text size="xs">
                      {t('timeline.retentionEnds')}: {f.date(item.retentionEndsAt)}
                    </Text>
                  </Group>
                )}
              </Paper>
            </li>
          );
        })}
      </ol>
      <div ref={sentinel} />
      {(loading || loadingMore) && <Loader size="sm" role="status" aria-label={t('timeline.loading')} />}
      {connection?.pageInfo.hasNextPage ? (
        <Button variant="subtle" onClick={() => void loadMore()} w="fit-content">
          {t('timeline.loadMore')}
        </Button>
      ) : (
        connection &&
        items.length > 0 && (
          <Text size="sm" c="dimmed">
            {t('timeline.end')}
          </Text>
        )
      )}
    </Stack>
  );
}
