import { Button, Kbd, Text } from '@mantine/core';
import { Spotlight, spotlight } from '@mantine/spotlight';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { contactLine, useCustomerSearch } from './useCustomerSearch';

/** Find a customer from anywhere: Ctrl/Cmd+K, type, arrows, Enter. */
export function CustomerSpotlight() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const { customers, searching, searched } = useCustomerSearch(query);

  return (
    <>
      <Button
        variant="default"
        onClick={() => spotlight.open()}
        rightSection={<Kbd size="xs">Ctrl K</Kbd>}
        data-testid="open-spotlight"
      >
        {t('nav.findCustomer')}
      </Button>
      <Spotlight.Root
        query={query}
        onQueryChange={setQuery}
        shortcut={['mod + K']}
        tagsToIgnore={[]}
        scrollable
        maxHeight={420}
      >
        <Spotlight.Search placeholder={t('search.placeholder')} aria-label={t('search.spotlightLabel')} />
        <Spotlight.ActionsList aria-label={t('search.label')}>
          {customers.map((c) => (
            <Spotlight.Action
              key={c.id}
              label={c.displayName}
              description={contactLine(c)}
              onClick={() => void navigate(`/desk/customers/${c.id}`)}
            />
          ))}
          {searched && customers.length === 0 && <Spotlight.Empty>{t('search.nothing')}</Spotlight.Empty>}
          {searching && customers.length === 0 && (
            <Text size="sm" c="dimmed" p="sm">
              {t('search.searching')}
            </Text>
          )}
        </Spotlight.ActionsList>
      </Spotlight.Root>
    </>
  );
}
