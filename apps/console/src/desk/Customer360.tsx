import type { ApolloClient } from '@apollo/client';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { Badge, Grid, Group, Loader, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { memo, useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { hasAnyRole, useSession } from '../auth/useSession';
import type { CustomerHeaderQuery } from '../gql/graphql';
import { QueryError } from '../lib/errors';
import { DESK_ROLES } from '../routes';
import { ConsentPartners, CustomerCareCases } from './actions.queries';
import { CareCaseForm } from './CareCaseForm';
import { CareCases } from './CareCases';
import { Consents } from './Consents';
import { InteractionForm } from './InteractionForm';
import { CustomerConsents, CustomerHeader } from './queries';
import { PageShown } from './page-shown';
import { Timeline, type PartnerInfo } from './Timeline';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      {children}
    </div>
  );
}

type Customer = NonNullable<CustomerHeaderQuery['customer']>;

/** Who the customer is: contact points, companies, tags and consents at a glance. */
const HeaderCard = memo(function HeaderCard({
  customerId,
  customer: c,
  onChanged,
}: {
  customerId: string;
  customer: Customer | undefined;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="header" data-testid="customer-header">
      {c && (
        <Group justify="space-between" align="flex-start">
          <Title order={1} size="h2">
            {c.displayName}
          </Title>
          <Badge size="lg" variant="light">
            {t(`lifecycle.${c.lifecycleStage}`)}
          </Badge>
        </Group>
      )}
      <Grid mt="sm">
        <Grid.Col span={{ base: 12, md: 4 }}>
          {c && (
            <>
              <Field label={t('customer.emails')}>
                {c.emails.length ? (
                  c.emails.map((e) => <Text key={e.id}>{e.address}</Text>)
                ) : (
                  <Text c="dimmed">{t('customer.none')}</Text>
                )}
              </Field>
              <Field label={t('customer.phones')}>
                {c.phones.length ? (
                  c.phones.map((p) => <Text key={p.id}>{p.number}</Text>)
                ) : (
                  <Text c="dimmed">{t('customer.none')}</Text>
                )}
              </Field>
            </>
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          {c && (
            <>
              <Field label={t('customer.companies')}>
                {c.companies.length ? (
                  c.companies.map((m) => (
                    <Text key={m.company.id}>
                      {m.company.name} — {m.role}
                    </Text>
                  ))
                ) : (
                  <Text c="dimmed">{t('customer.none')}</Text>
                )}
              </Field>
              <Field label={t('customer.tags')}>
                <Group gap={4}>
                  {c.tags.length ? (
                    c.tags.map((tag) => (
                      <Badge key={tag} variant="outline">
                        {tag}
                      </Badge>
                    ))
                  ) : (
                    <Text c="dimmed">{t('customer.none')}</Text>
                  )}
                </Group>
              </Field>
            </>
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Field label={t('customer.consents')}>
            <Consents
              customerId={customerId}
              language={c?.language ?? null}
              canWrite={false}
              onChanged={onChanged}
            />
          </Field>
        </Grid.Col>
      </Grid>
    </Paper>
  );
});

/** Record an interaction, open and work care cases, capture and withdraw consents. */
const Actions = memo(function Actions({
  customerId,
  language,
  onChanged,
}: {
  customerId: string;
  language: string | null;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="actions-title">
      <Title order={2} size="h3" id="actions-title" mb="sm">
        {t('customer.actions')}
      </Title>
      <Tabs defaultValue="interaction" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="interaction">{t('interaction.record')}</Tabs.Tab>
          <Tabs.Tab value="case">{t('careCase.cases')}</Tabs.Tab>
          <Tabs.Tab value="consent">{t('customer.consents')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="interaction" pt="md">
          <InteractionForm customerId={customerId} onDone={onChanged} />
        </Tabs.Panel>
        <Tabs.Panel value="case" pt="md">
          <Stack>
            <CareCaseForm customerId={customerId} onDone={onChanged} />
            <CareCases customerId={customerId} onChanged={onChanged} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="consent" pt="md">
          <Consents customerId={customerId} language={language} canWrite onChanged={onChanged} />
        </Tabs.Panel>
      </Tabs>
    </Paper>
  );
});

/**
 * What the 360 shows first (the header, its consents, the cases the reason picker preselects from),
 * asked ahead for the search result that Enter opens: the page then shows at once from the cache
 * (and asks again in the background). Local reads only: the partners' history is never asked ahead.
 */
export function prefetchCustomer360(client: ApolloClient, id: string): void {
  const ignore = () => undefined;
  client.query({ query: CustomerHeader, variables: { id } }).catch(ignore);
  client.query({ query: CustomerConsents, variables: { customerId: id } }).catch(ignore);
  client.query({ query: CustomerCareCases, variables: { customerId: id } }).catch(ignore);
}

/**
 * Customer 360: who they are, one merged timeline with the partners' shared history, and the actions.
 * Every part asks for its data at once (the header, its consents, the timeline and the reason
 * picker's cases and interactions in parallel, not one after the other); the page stays hidden behind
 * the loader until the header, its consents and the cases are in, so nothing moves once it shows.
 */
export default function Customer360() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const state = useSession();
  const canWrite = hasAnyRole(state, DESK_ROLES);
  const client = useApolloClient();
  const { data, error, loading } = useQuery(CustomerHeader, { variables: { id } });
  // The same request as the header's consents list (one request for both): the header's height is
  // final once it is in.
  const consents = useQuery(CustomerConsents, { variables: { customerId: id } });
  // Likewise the reason picker's cases: it shows with its preselected case.
  const cases = useQuery(CustomerCareCases, { variables: { customerId: id } });
  // The partners and their agreements change on the admins' screens, seldom: asked once a session
  // (the consent capture form asks afresh), not again on every customer opened.
  const partnersQuery = useQuery(ConsentPartners, { fetchPolicy: 'cache-first' });
  const partners = useMemo(() => {
    const map = new Map<string, PartnerInfo>();
    for (const p of partnersQuery.data?.consentPartners ?? []) {
      const entry = map.get(p.partnerId) ?? { name: p.name, purposes: {} };
      entry.purposes[p.agreementId] = p.purposes;
      map.set(p.partnerId, entry);
    }
    return map;
  }, [partnersQuery.data]);
  // After a write, the timeline and the header show it.
  const refresh = useCallback(
    () =>
      void client.refetchQueries({
        include: [
          'CustomerTimeline',
          'CustomerHeader',
          'CustomerConsents',
          'CustomerCareCases',
          'CustomerInteractions',
        ],
      }),
    [client],
  );

  if (error) return <QueryError error={error} />;
  const c = data?.customer;
  // No such customer (or not this node's): nothing to show, as before the parts asked.
  if (!loading && data && !c) return null;
  const settled = (q: { data?: unknown; error?: unknown }) => q.data !== undefined || q.error !== undefined;
  const ready = c !== undefined && settled(consents) && settled(cases);

  return (
    <>
      {!ready && <Loader role="status" aria-label={t('customer.loading')} />}
      <PageShown.Provider value={ready}>
        <Stack style={ready ? undefined : { visibility: 'hidden' }}>
          <HeaderCard customerId={id} customer={c ?? undefined} onChanged={refresh} />
          <Grid>
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Timeline customerId={id} partners={partners} onChanged={refresh} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              {canWrite && <Actions customerId={id} language={c?.language ?? null} onChanged={refresh} />}
            </Grid.Col>
          </Grid>
        </Stack>
      </PageShown.Provider>
    </>
  );
}
