import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  List,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { verifyJwsWithJwks, type BrowserJwsCheck } from '../../../../libs/protocol/src/browser/verify-jws';
import type { MergeDetailQuery } from './gql/graphql';
import { describeError, QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { notifySaved } from '../lib/notify';
import { FINAL_MERGE_STATES, MergeStateBadge } from './MergesPage';
import { MergeVenn } from './MergeVenn';
import {
  AcceptSegmentMerge,
  DeclineSegmentMerge,
  MaterialiseMergedSegment,
  MergeDetail,
  MergesList,
  SegmentsList,
} from './queries';

type Merge = MergeDetailQuery['segmentMerge'];
const STEPS = ['PROPOSED', 'ACCEPTED', 'UPLOADED', 'COMPLETED'];

/** One merge: its progress, the answer to an incoming proposal, and the verified result. */
export default function MergePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { data, error, startPolling, stopPolling, refetch } = useQuery(MergeDetail, { variables: { id } });
  // The list query synchronises with the federation; polled with the merge until it is final.
  const sync = useQuery(MergesList, { skip: !data || FINAL_MERGE_STATES.includes(data.segmentMerge.state) });
  const merge = data?.segmentMerge;
  const final = merge ? FINAL_MERGE_STATES.includes(merge.state) : false;
  useEffect(() => {
    if (!merge || final) {
      stopPolling();
      sync.stopPolling();
      return;
    }
    startPolling(2000);
    sync.startPolling(2000);
    return () => {
      stopPolling();
      sync.stopPolling();
    };
  }, [merge, final, startPolling, stopPolling, sync]);

  // The list's synchronisation can bring the final state first: fetch the result with it.
  const needsResult = Boolean(merge && merge.state === 'COMPLETED' && !merge.counts);
  useEffect(() => {
    if (needsResult) void refetch();
  }, [needsResult, refetch]);

  if (error) return <QueryError error={error} />;
  if (!merge) return <Loader aria-label={t('marketing.loading')} />;
  const step = merge.state === 'FAILED' ? -1 : STEPS.indexOf(merge.state);
  return (
    <Stack maw={1100}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>{t('marketing.merges.withPartner', { partner: merge.partnerId })}</Title>
          <Text c="dimmed">
            {t(`marketing.merges.roles.${merge.role}`)} ·{' '}
            {t('marketing.merges.agreementNamed', { id: merge.agreementId })}
            {merge.bucketBy ? ` · ${t('marketing.merges.byCountry')}` : ''}
          </Text>
        </div>
        <MergeStateBadge state={merge.state} error={merge.error} />
      </Group>
      <Group gap="xs" aria-label={t('marketing.merges.progress')} role="list">
        {STEPS.map((s, i) => (
          <Badge
            key={s}
            role="listitem"
            variant={i <= step ? 'filled' : 'outline'}
            color={i <= step ? 'indigo.8' : 'gray.7'}
          >
            {i + 1}. {t(`marketing.merges.states.${s}`)}
          </Badge>
        ))}
      </Group>
      {merge.state === 'FAILED' && merge.error !== 'declined' && (
        <Alert color="red.9" role="alert">
          {t('marketing.merges.failed', { error: merge.error ?? '' })}
        </Alert>
      )}
      {merge.role === 'PARTNER' && merge.state === 'PROPOSED' && <AnswerProposal merge={merge} />}
      {merge.segment && (
        <Text>
          {t('marketing.merges.ourSegment')}:{' '}
          <Link to={`/marketing/segments/${merge.segment.id}`}>{merge.segment.name}</Link>
        </Text>
      )}
      {!final && merge.state !== 'PROPOSED' && (
        <Group gap="xs">
          <Loader size="xs" aria-label={t('marketing.merges.waiting')} />
          <Text size="sm">{t('marketing.merges.waiting')}</Text>
        </Group>
      )}
      {merge.counts && <MergeResult merge={merge} counts={merge.counts} />}
    </Stack>
  );
}

function AnswerProposal({ merge }: { merge: Merge }) {
  const { t } = useTranslation();
  const segments = useQuery(SegmentsList);
  const [segmentId, setSegmentId] = useState<string | null>(null);
  const [accept, accepting] = useMutation(AcceptSegmentMerge);
  const [decline, declining] = useMutation(DeclineSegmentMerge);
  const [failure, setFailure] = useState<string | null>(null);
  const act = async (fn: () => Promise<unknown>, done: string) => {
    setFailure(null);
    try {
      await fn();
      notifySaved(done);
    } catch (e) {
      setFailure(describeError(e).message);
    }
  };
  return (
    <Paper withBorder p="md" data-testid="answer-proposal">
      <Title order={2} size="h4" mb="xs">
        {t('marketing.merges.incoming', { partner: merge.partnerId })}
      </Title>
      {failure && (
        <Alert color="red.9" role="alert" mb="sm">
          {failure}
        </Alert>
      )}
      <Group align="flex-end">
        <Select
          w={320}
          label={t('marketing.merges.ourSegment')}
          searchable
          data={(segments.data?.segments.nodes ?? [])
            .filter((s) => s.kind !== 'MERGED')
            .map((s) => ({ value: s.id, label: s.name }))}
          value={segmentId}
          onChange={setSegmentId}
          data-testid="accept-segment"
        />
        <Button
          disabled={!segmentId}
          loading={accepting.loading}
          onClick={() =>
            segmentId &&
            void act(
              () => accept({ variables: { input: { mergeId: merge.id, segmentId } } }),
              t('marketing.merges.acceptedNote'),
            )
          }
          data-testid="accept-merge"
        >
          {t('marketing.merges.accept')}
        </Button>
        <Button
          variant="outline"
          color="red.9"
          loading={declining.loading}
          onClick={() =>
            void act(() => decline({ variables: { mergeId: merge.id } }), t('marketing.merges.declinedNote'))
          }
          data-testid="decline-merge"
        >
          {t('marketing.merges.decline')}
        </Button>
      </Group>
    </Paper>
  );
}

function MergeResult({ merge, counts }: { merge: Merge; counts: NonNullable<Merge['counts']> }) {
  const { t } = useTranslation();
  const { number } = useFormat();
  const show = (v: number | null | undefined) =>
    v === null || v === undefined ? (
      <Badge
        color="gray.7"
        variant="outline"
        data-testid="suppressed-cell"
        title={t('marketing.merges.suppressedWhy', { min: counts.minCohortSize })}
      >
        {t('marketing.merges.suppressed')}
      </Badge>
    ) : (
      number(v)
    );
  const rows = [...(counts.ourBuckets ?? []), ...(counts.theirBuckets ?? [])];
  const buckets = new Map<string, { ours?: (typeof rows)[number]; theirs?: (typeof rows)[number] }>();
  for (const b of counts.ourBuckets ?? [])
    buckets.set(b.bucket ?? '', { ...buckets.get(b.bucket ?? ''), ours: b });
  for (const b of counts.theirBuckets ?? [])
    buckets.set(b.bucket ?? '', { ...buckets.get(b.bucket ?? ''), theirs: b });
  const anySuppressed =
    [counts.ours, counts.theirs, counts.both, counts.either, counts.onlyOurs, counts.onlyTheirs].includes(
      null,
    ) || rows.some((r) => r.people === null || r.both === null || r.only === null);
  return (
    <Stack>
      <Title order={2}>{t('marketing.merges.result')}</Title>
      <SignatureCheck merge={merge} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <MergeVenn
          ours={counts.ours ?? null}
          theirs={counts.theirs ?? null}
          both={counts.both ?? null}
          partner={merge.partnerId}
        />
        <Table data-testid="merge-counts">
          <Table.Tbody>
            <Table.Tr>
              <Table.Th>{t('marketing.merges.countOurs')}</Table.Th>
              <Table.Td ta="right">{show(counts.ours)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('marketing.merges.countTheirs')}</Table.Th>
              <Table.Td ta="right">{show(counts.theirs)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('marketing.merges.countBoth')}</Table.Th>
              <Table.Td ta="right" data-testid="count-both">
                {show(counts.both)}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('marketing.merges.countEither')}</Table.Th>
              <Table.Td ta="right">{show(counts.either)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('marketing.merges.countOnlyOurs')}</Table.Th>
              <Table.Td ta="right">{show(counts.onlyOurs)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('marketing.merges.countOnlyTheirs')}</Table.Th>
              <Table.Td ta="right">{show(counts.onlyTheirs)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('marketing.merges.consented')}</Table.Th>
              <Table.Td ta="right" data-testid="consented-people">
                {number(counts.consentedPeople)}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </SimpleGrid>
      {buckets.size > 0 && (
        <>
          <Title order={3}>{t('marketing.merges.byCountry')}</Title>
          <Table striped data-testid="merge-buckets">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('marketing.merges.country')}</Table.Th>
                <Table.Th ta="right">{t('marketing.merges.oursPeople')}</Table.Th>
                <Table.Th ta="right">{t('marketing.merges.oursBoth')}</Table.Th>
                <Table.Th ta="right">
                  {t('marketing.merges.theirsPeople', { partner: merge.partnerId })}
                </Table.Th>
                <Table.Th ta="right">
                  {t('marketing.merges.theirsBoth', { partner: merge.partnerId })}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...buckets.entries()]
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([bucket, b]) => (
                  <Table.Tr key={bucket}>
                    <Table.Td>{bucket || t('marketing.merges.unknownCountry')}</Table.Td>
                    <Table.Td ta="right">{b.ours ? show(b.ours.people) : '—'}</Table.Td>
                    <Table.Td ta="right">{b.ours ? show(b.ours.both) : '—'}</Table.Td>
                    <Table.Td ta="right">{b.theirs ? show(b.theirs.people) : '—'}</Table.Td>
                    <Table.Td ta="right">{b.theirs ? show(b.theirs.both) : '—'}</Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        </>
      )}
      {anySuppressed && (
        <Alert
          color="gray.7"
          variant="outline"
          data-testid="suppression-explained"
          title={t('marketing.merges.suppressedTitle')}
        >
          {t('marketing.merges.suppressedWhy', { min: counts.minCohortSize })}
        </Alert>
      )}
      <Materialise merge={merge} consented={counts.consentedPeople} />
    </Stack>
  );
}

function SignatureCheck({ merge }: { merge: Merge }) {
  const { t } = useTranslation();
  const [check, setCheck] = useState<BrowserJwsCheck | null>(null);
  useEffect(() => {
    if (!merge.resultJws || !merge.federationJwks) return;
    let live = true;
    void verifyJwsWithJwks(merge.resultJws, merge.federationJwks).then((c) => live && setCheck(c));
    return () => {
      live = false;
    };
  }, [merge.resultJws, merge.federationJwks]);
  if (!merge.resultJws) return null;
  const aboutThis = check?.valid && check.claims['mergeId'] === merge.id;
  return (
    <Alert
      color={check === null ? 'gray.7' : aboutThis ? 'teal.9' : 'red.9'}
      variant="outline"
      role="status"
      data-testid="signature-check"
      data-valid={aboutThis ? 'true' : check === null ? 'pending' : 'false'}
      title={
        check === null
          ? t('marketing.merges.signatureChecking')
          : aboutThis
            ? t('marketing.merges.signatureValid')
            : t('marketing.merges.signatureInvalid')
      }
    >
      {check?.valid ? (
        <Text size="sm">
          {t('marketing.merges.signatureDetail', { issuer: String(check.claims['iss'] ?? '') })}{' '}
          <Code>{check.kid}</Code>
        </Text>
      ) : check ? (
        <Text size="sm">{t(`marketing.merges.signatureReasons.${check.reason}`)}</Text>
      ) : null}
    </Alert>
  );
}

function Materialise({ merge, consented }: { merge: Merge; consented: number }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [materialise, { loading }] = useMutation(MaterialiseMergedSegment, {
    refetchQueries: ['MergeDetail'],
  });
  const [failure, setFailure] = useState<string | null>(null);
  if (merge.mergedSegment) {
    return (
      <Paper withBorder p="md" data-testid="merged-segment">
        <Text>
          {t('marketing.merges.materialised', {
            name: merge.mergedSegment.name,
            size: merge.mergedSegment.size,
          })}
        </Text>
        <Group mt="sm">
          <Button component={Link} to={`/marketing/segments/${merge.mergedSegment.id}`} variant="outline">
            {t('marketing.merges.openSegment')}
          </Button>
          <Button
            component={Link}
            to={`/marketing/campaigns?segment=${merge.mergedSegment.id}`}
            data-testid="merged-campaign"
          >
            {t('marketing.merges.campaignOnIt')}
          </Button>
        </Group>
      </Paper>
    );
  }
  return (
    <Paper withBorder p="md">
      <Text mb="sm">{t('marketing.merges.materialiseHint', { count: consented })}</Text>
      {failure && (
        <Alert color="red.9" role="alert" mb="sm">
          {failure}
        </Alert>
      )}
      <Group align="flex-end">
        <TextInput
          w={320}
          label={t('marketing.merges.mergedName')}
          placeholder={t('marketing.merges.mergedNameDefault')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <Button
          loading={loading}
          onClick={async () => {
            setFailure(null);
            try {
              await materialise({
                variables: { input: { mergeId: merge.id, ...(name.trim() ? { name: name.trim() } : {}) } },
              });
              notifySaved(t('marketing.merges.materialisedNote'));
            } catch (e) {
              setFailure(describeError(e).message);
            }
          }}
          data-testid="materialise"
        >
          {t('marketing.merges.materialise')}
        </Button>
      </Group>
      <List size="sm" mt="sm">
        <List.Item>{t('marketing.merges.materialiseConsent')}</List.Item>
      </List>
    </Paper>
  );
}
