import { useQuery } from '@apollo/client/react';
import { Anchor, Stack, Tabs, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { QueryError } from '../lib/errors';
import { AccessReportView } from './AccessReport';
import { ConsentHistoryView } from './ConsentHistory';
import { DataFlowsView } from './DataFlows';
import { ErasureView } from './Erasure';
import { ComplianceCustomer } from './queries';
import { TrustPanel } from './TrustPanel';
import { useTrust } from './trust';

const TABS = ['consents', 'flows', 'report', 'erasure'] as const;

/** One customer, as the compliance officer sees them: consents with proofs, data flows, Art. 15, Art. 17. */
export default function CustomerCompliance() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((x) => x === params.get('tab')) ?? 'consents';
  const customer = useQuery(ComplianceCustomer, { variables: { id } });
  const { trust, pin, unpin } = useTrust();
  const name = customer.data?.customer.displayName;
  return (
    <Stack>
      <Anchor component={Link} to="/compliance" size="sm">
        {t('compliance.customer.back')}
      </Anchor>
      <Title order={1}>
        {name ? t('compliance.customer.title', { name }) : t('compliance.customer.erasedTitle')}
      </Title>
      {customer.error && !/NOT_FOUND|not found/i.test(customer.error.message) && (
        <QueryError error={customer.error} />
      )}
      <Tabs
        value={tab}
        onChange={(value) => setParams({ tab: value ?? 'consents' }, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List>
          {TABS.map((x) => (
            <Tabs.Tab key={x} value={x} data-testid={`tab-${x}`}>
              {t(`compliance.customer.tabs.${x}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="consents" pt="md">
          <Stack>
            <ConsentHistoryView customerId={id} trust={trust} />
            <TrustPanel trust={trust} onPin={pin} onUnpin={unpin} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="flows" pt="md">
          <DataFlowsView customerId={id} />
        </Tabs.Panel>
        <Tabs.Panel value="report" pt="md">
          <AccessReportView customerId={id} />
        </Tabs.Panel>
        <Tabs.Panel value="erasure" pt="md">
          <ErasureView customerId={id} name={name ?? null} trust={trust} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
