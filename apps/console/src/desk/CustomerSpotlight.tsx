import { Button, Kbd, Text } from '@mantine/core';
import { Spotlight, spotlight } from '@mantine/spotlight';
import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { contactLine, useCustomerSearch } from './useCustomerSearch';

/** Find a customer from anywhere: Ctrl/Cmd+K, type, arrows, Enter. */
export function CustomerSpotlight() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const { customers, searching, searched } = useCustomerSearch(query);
  const open = (id: string) => {
    spotlight.close();
    void navigate(`/desk/customers/${id}`, { flushSync: true });
  };
  // Our own arrows and Enter over the results (they arrive after the query changes, debounced).
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') setActive((i) => Math.min(i + 1, customers.length - 1));
    else if (event.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
    else if (event.key === 'Enter' && customers[active]) open(customers[active].id);
  };

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
        onQueryChange={(value) => {
          setQuery(value);
          setActive(0);
        }}
        shortcut={['mod + K']}
        tagsToIgnore={[]}
        scrollable
        maxHeight={420}
      >
        <Spotlight.Search
          placeholder={t('search.placeholder')}
          aria-label={t('search.spotlightLabel')}
          onKeyDown={onKeyDown}
        />
        <Spotlight.ActionsList aria-label={t('search.label')}>
          {customers.map((c, i) => (
            <Spotlight.Action
              key={c.id}
              label={c.displayName}
              description={contactLine(c)}
              data-active={i === active || undefined}
              bg={i === active ? 'var(--mantine-color-indigo-light)' : undefined}
              onClick={() => open(c.id)}
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
