import { Anchor, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { contactLine, useCustomerSearch } from '../desk/useCustomerSearch';
import { QueryError } from '../lib/errors';
import { TrustPanel } from './TrustPanel';
import { useTrust } from './trust';

/** The officer's start: find a customer, and the federation keys every check starts from. */
export default function ComplianceHome() {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const { customers, searching, searched, error } = useCustomerSearch(query);
  const { trust, error: trustError, pin, unpin } = useTrust();
  return (
    <Stack>
      <Title order={1}>{t('compliance.home.title')}</Title>
      <Paper withBorder p="md">
        <Stack>
          <TextInput
            label={t('compliance.home.search')}
            description={t('compliance.home.searchHint')}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            rightSection={searching ? <Loader size="xs" /> : null}
            data-testid="compliance-search"
          />
          {error && <QueryError error={error} />}
          {searched && customers.length === 0 && <Text c="dimmed">{t('compliance.home.noResults')}</Text>}
          {customers.length > 0 && (
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('compliance.home.customer')}</Table.Th>
                  <Table.Th>{t('compliance.home.contact')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {customers.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/compliance/customers/${c.id}`}
                        data-testid="compliance-result"
                      >
                        {c.displayName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{contactLine(c)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Paper>
      {trustError && <QueryError error={trustError} />}
      <TrustPanel trust={trust} onPin={pin} onUnpin={unpin} />
    </Stack>
  );
}
