import { useApolloClient, useQuery } from '@apollo/client/react';
import { Alert, Badge, Button, Chip, Group, Loader, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CustomerTimelineQuery, TimelineKind } from '../gql/graphql';
import { useFormat, type Format } from '../lib/format';
import { describeError, QueryError } from '../lib/errors';
import { CustomerTimeline } from './queries';
import { reasonInput, useSharedHistoryReason, type SharedHistoryReason } from './reason';
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
export const Timeline = memo(function Timeline({
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
  const variables = {
    customerId,
    first: PAGE,
    kinds: kinds.length === KINDS.length ? null : kinds,
    reason: reason ? reasonInput(reason) : null,
  };
  const withReason = useQuery(CustomerTimeline, { variables, notifyOnNetworkStatusChange: true });
  const client = useApolloClient();
  // The page read with a newly chosen reason is asked at the click, not once the navigation (the
  // reason goes into the URL) has rendered the page again: the query above joins the request in flight.
  const applyReason = (next: SharedHistoryReason) => {
    client
      .query({ query: CustomerTimeline, variables: { ...variables, reason: reasonInput(next) } })
      .catch(() => undefined);
    setReason(next);
  };
  const { error } = withReason;
  const failure = error ? describeError(error) : null;
  const reasonError =
    failure?.code === 'BAD_USER_INPUT' && failure.field === 'reason'
      ? t(
          `reason.error.${failure.reason === 'REASON_STALE' || failure.reason === 'REASON_UNKNOWN' ? failure.reason : 'REASON_REQUIRED'}`,
        )
      : null;
  const rateLimited = failure?.code === 'TOO_MANY_REQUESTS' ? failure : null;
  // A refused reason or the agent's hourly limit: this node's own page still shows (asked without a
  // reason), never a previous reason's shared items.
  const localOnly = useQuery(CustomerTimeline, {
    variables: { ...variables, reason: null },
    skip: !(reasonError || rateLimited),
    notifyOnNetworkStatusChange: true,
  });
  const active = reasonError || rateLimited ? localOnly : withReason;
  const { data, previousData, loading, fetchMore } = active;
  const connection = active.error ? undefined : (data ?? previousData)?.customerTimeline;
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
        onReason={applyReason}
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
        {items.map((item) => (
          <TimelineEntry
            key={`${item.origin}:${item.kind}:${item.recordId}`}
            item={item}
            partner={item.originPartnerId ? partners.get(item.originPartnerId) : undefined}
          />
        ))}
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
});

type TimelineItem = NonNullable<CustomerTimelineQuery['customerTimeline']>['nodes'][number];

/**
 * One item of the timeline. Memoised: a page appended on scroll, a filter or the reason changing
 * renders the new items only (Apollo keeps the same objects for the items already shown).
 */
const TimelineEntry = memo(function TimelineEntry({
  item,
  partner,
}: {
  item: TimelineItem;
  partner: PartnerInfo | undefined;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const shared = item.origin === 'PARTNER';
  const record = item.record;
  const described = describe(item, t, f);
  const purposes =
    record.__typename === 'SharedRecord' ? (partner?.purposes[record.agreementId] ?? ['CUSTOMER_CARE']) : [];
  return (
    <li data-testid={shared ? 'timeline-shared' : 'timeline-local'}>
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
              <Text fw={600}>{described.title}</Text>
            </Group>
            {described.summary && (
              <Text size="sm" mt={4}>
                {described.summary}
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
});

/**
 * This node's items are described in the user's language from their fields (the server's title and
 * summary are English); a partner's item keeps the words its partner sent.
 */
function describe(
  item: TimelineItem,
  t: TFunction,
  f: Format,
): { title: string; summary: string | null | undefined } {
  const record = item.record;
  switch (record.__typename) {
    case 'Interaction':
      return {
        title: record.subject ?? `${t(`channel.${record.channel}`)} · ${t(`direction.${record.direction}`)}`,
        summary: item.summary,
      };
    case 'CareCase':
      return {
        title: item.title,
        summary: t('timeline.caseSummary', {
          status: t(`caseStatus.${record.status}`),
          priority: t(`priority.${record.priority}`).toLowerCase(),
        }),
      };
    case 'Order':
      return {
        title: t('timeline.orderTitle', { number: record.number }),
        summary: t('timeline.orderSummary', {
          status: t(`orderStatus.${record.orderStatus}`),
          total: f.money(record.total.amount, record.total.currency),
        }),
      };
    default:
      return { title: item.title, summary: item.summary };
  }
}
