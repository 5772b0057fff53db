import { Alert, Paper, Stack, Text, TextInput, Title, UnstyledButton, Group, Badge } from '@mantine/core';
import { useApolloClient } from '@apollo/client/react';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { describeError } from '../lib/errors';
import { loadCustomer360 } from '../routes';
import { contactLine, useCustomerSearch } from './useCustomerSearch';

/** The desk's start: a search box whose results follow the typing; arrows and Enter open a customer. */
export default function DeskHome() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const { customers, searching, searched, error } = useCustomerSearch(query);
  const listRef = useRef<HTMLUListElement>(null);
  const client = useApolloClient();
  // The result Enter would open: what its 360 shows first is asked now (the 360's code has it).
  const next = searched ? customers[active]?.id : undefined;
  useEffect(() => {
    if (next)
      loadCustomer360()
        .then((m) => m.prefetchCustomer360(client, next))
        .catch(() => undefined);
  }, [client, next]);

  // The 360 renders in the Enter's own task (not as a deferred transition): its data is asked at once,
  // and the page is there when the key is released.
  const open = (id: string) => void navigate(`/desk/customers/${id}`, { flushSync: true });
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((i) => Math.min(i + 1, customers.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === 'Enter' && customers[active]) {
      event.preventDefault();
      open(customers[active].id);
    }
  };

  return (
    <Stack maw={760}>
      <Title order={1}>{t('desk.title')}</Title>
      <Text c="dimmed">{t('desk.intro')}</Text>
      <TextInput
        label={t('search.label')}
        description={`${t('search.hint')} ${t('search.shortcut')}`}
        placeholder={t('search.placeholder')}
        value={query}
        autoFocus
        onChange={(e) => {
          setQuery(e.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        role="combobox"
        aria-expanded={customers.length > 0}
        aria-controls="customer-results"
        aria-autocomplete="list"
        aria-activedescendant={customers[active] ? `customer-${customers[active].id}` : undefined}
        data-testid="desk-search"
      />
      {error && <Alert color="red.9">{describeError(error).message}</Alert>}
      <div aria-live="polite">
        {searching && customers.length === 0 && <Text size="sm">{t('search.searching')}</Text>}
        {searched && customers.length === 0 && <Text size="sm">{t('search.nothing')}</Text>}
      </div>
      <ul
        id="customer-results"
        role="listbox"
        aria-label={t('search.label')}
        ref={listRef}
        style={{ listStyle: 'none', padding: 0, margin: 0 }}
        data-testid="search-results"
      >
        {customers.map((c, i) => (
          <li key={c.id} id={`customer-${c.id}`} role="option" aria-selected={i === active}>
            <UnstyledButton w="100%" onClick={() => open(c.id)} tabIndex={-1}>
              <Paper
                withBorder
                p="sm"
                mb={6}
                bg={i === active ? 'var(--mantine-color-indigo-light)' : undefined}
              >
                <Group justify="space-between" wrap="nowrap">
                  <div>
                    <Text fw={600}>{c.displayName}</Text>
                    <Text size="sm" c="dimmed">
                      {contactLine(c)}
                    </Text>
                  </div>
                  <Badge variant="light">{t(`lifecycle.${c.lifecycleStage}`)}</Badge>
                </Group>
              </Paper>
            </UnstyledButton>
          </li>
        ))}
      </ul>
    </Stack>
  );
}
