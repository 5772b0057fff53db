import { useQuery } from '@apollo/client/react';
import { Button, Group, Loader, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgreementState } from '../gql-federation/graphql';
import { QueryError } from '../lib/errors';
import { useFormat } from '../lib/format';
import { Agreements } from './queries';
import { PageHeader, ShortId, StatusBadge } from './ui';

const STATES: AgreementState[] = ['PROPOSED', 'ACCEPTED', 'ACTIVE', 'TERMINATED', 'EXPIRED'];

/** Every agreement of the network (terms and state), filterable by state and party. */
export default function AgreementsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [state, setState] = useState<AgreementState | ''>('');
  const [party, setParty] = useState('');
  const variables = { state: state || undefined, party: party.trim() || undefined };
  const { data, loading, error, fetchMore } = useQuery(Agreements, { variables });
  const rows = data?.agreements.nodes ?? [];
  const page = data?.agreements.pageInfo;

  return (
    <Stack>
      <PageHeader title={t('operator.agreements.title')} intro={t('operator.agreements.intro')} />
      <Group align="flex-end">
        <NativeSelect
          label={t('operator.agreements.state')}
          value={state}
          onChange={(event) => setState(event.currentTarget.value as AgreementState | '')}
          data={[
            { value: '', label: t('operator.agreements.anyState') },
            ...STATES.map((s) => ({ value: s, label: t(`operator.agreements.states.${s}`) })),
          ]}
        />
        <TextInput
          label={t('operator.agreements.party')}
          placeholder={t('operator.agreements.partyPlaceholder')}
          value={party}
          onChange={(event) => setParty(event.currentTarget.value)}
        />
      </Group>
      {error && <QueryError error={error} />}
      {loading && !data && <Loader aria-label={t('operator.agreements.title')} />}
      {data && rows.length === 0 && <Text>{t('operator.common.none')}</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped verticalSpacing="sm" data-testid="agreements">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('operator.agreements.parties')}</Table.Th>
                <Table.Th>{t('operator.agreements.purposes')}</Table.Th>
                <Table.Th>{t('operator.agreements.categories')}</Table.Th>
                <Table.Th>{t('operator.agreements.retention')}</Table.Th>
                <Table.Th>{t('operator.agreements.minCohort')}</Table.Th>
                <Table.Th>{t('operator.agreements.valid')}</Table.Th>
                <Table.Th>{t('operator.agreements.state')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((agreement) => (
                <Table.Tr key={agreement.agreementId}>
                  <Table.Td>
                    <Text fw={600}>
                      {agreement.partyA} {agreement.direction === 'mutual' ? '⇄' : '→'} {agreement.partyB}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t(`operator.agreements.direction.${agreement.direction}`, {
                        defaultValue: agreement.direction,
                      })}{' '}
                      <ShortId value={agreement.agreementId} />
                    </Text>
                  </Table.Td>
                  <Table.Td>{agreement.purposes.join(', ')}</Table.Td>
                  <Table.Td>{agreement.categories.join(', ')}</Table.Td>
                  <Table.Td>
                    {t('operator.agreements.retentionDays', { count: agreement.retentionDays })}
                  </Table.Td>
                  <Table.Td>{format.number(agreement.minCohortSize)}</Table.Td>
                  <Table.Td>
                    {format.date(agreement.validFrom)} – {format.date(agreement.validUntil)}
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge
                      value={agreement.state}
                      label={t(`operator.agreements.states.${agreement.state}`)}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {page?.hasNextPage && (
        <Button
          variant="light"
          w="fit-content"
          onClick={() =>
            void fetchMore({
              variables: { ...variables, after: page.endCursor },
              updateQuery: (previous, { fetchMoreResult }) => ({
                agreements: {
                  ...fetchMoreResult.agreements,
                  nodes: [...previous.agreements.nodes, ...fetchMoreResult.agreements.nodes],
                },
              }),
            })
          }
        >
          {t('operator.common.loadMore')}
        </Button>
      )}
    </Stack>
  );
}
