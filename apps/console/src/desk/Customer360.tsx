import { useApolloClient, useQuery } from '@apollo/client/react';
import { Badge, Grid, Group, Loader, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { hasAnyRole, useSession } from '../auth/useSession';
import { QueryError } from '../lib/errors';
import { DESK_ROLES } from '../routes';
import { ConsentPartners } from './actions.queries';
import { CareCaseForm } from './CareCaseForm';
import { CareCases } from './CareCases';
import { Consents } from './Consents';
import { InteractionForm } from './InteractionForm';
import { CustomerHeader } from './queries';
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

/** Customer 360: who they are, one merged timeline with the partners' shared history, and the actions. */
export default function Customer360() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const state = useSession();
  const canWrite = hasAnyRole(state, DESK_ROLES);
  const client = useApolloClient();
  const { data, error, loading } = useQuery(CustomerHeader, { variables: { id } });
  const partnersQuery = useQuery(ConsentPartners);
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
  const refresh = () =>
    void client.refetchQueries({
      include: [
        'CustomerTimeline',
        'CustomerHeader',
        'CustomerConsents',
        'CustomerCareCases',
        'CustomerInteractions',
      ],
    });

  if (error) return <QueryError error={error} />;
  if (loading && !data) return <Loader role="status" aria-label={t('customer.loading')} />;
  const c = data?.customer;
  if (!c) return null;

  return (
    <Stack>
      <Paper withBorder p="md" component="header" data-testid="customer-header">
        <Group justify="space-between" align="flex-start">
          <Title order={1} size="h2">
            {c.displayName}
          </Title>
          <Badge size="lg" variant="light">
            {t(`lifecycle.${c.lifecycleStage}`)}
          </Badge>
        </Group>
        <Grid mt="sm">
          <Grid.Col span={{ base: 12, md: 4 }}>
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
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
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
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Field label={t('customer.consents')}>
              <Consents
                customerId={c.id}
                language={c.language ?? null}
                canWrite={false}
                onChanged={refresh}
              />
            </Field>
          </Grid.Col>
        </Grid>
      </Paper>
      <Grid>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Timeline customerId={c.id} partners={partners} onChanged={refresh} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          {canWrite && (
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
                  <InteractionForm customerId={c.id} onDone={refresh} />
                </Tabs.Panel>
                <Tabs.Panel value="case" pt="md">
                  <Stack>
                    <CareCaseForm customerId={c.id} onDone={refresh} />
                    <CareCases customerId={c.id} onChanged={refresh} />
                  </Stack>
                </Tabs.Panel>
                <Tabs.Panel value="consent" pt="md">
                  <Consents customerId={c.id} language={c.language ?? null} canWrite onChanged={refresh} />
                </Tabs.Panel>
              </Tabs>
            </Paper>
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
