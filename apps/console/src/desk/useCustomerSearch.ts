import { useQuery } from '@apollo/client/react';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect } from 'react';
import { loadCustomer360 } from '../routes';
import { SearchCustomers } from './queries';

export const SEARCH_DEBOUNCE_MS = 200;

/**
 * Results as the user types: one searchCustomers per pause in typing (2 characters at least). The
 * desk's box and the spotlight (Ctrl+K) both use it.
 */
export function useCustomerSearch(query: string) {
  const [debounced] = useDebouncedValue(query.trim(), SEARCH_DEBOUNCE_MS);
  const skip = debounced.length < 2;
  const result = useQuery(SearchCustomers, {
    variables: { query: debounced, first: 10 },
    skip,
    fetchPolicy: 'cache-first',
  });
  const data = result.data ?? result.previousData;
  const customers = skip ? [] : (data?.searchCustomers ?? []);
  const found = customers.length > 0;
  // Results on screen: the 360's code loads now, so opening one waits for its data only (a failed
  // load is the route's to report when a customer is opened).
  useEffect(() => {
    if (found) loadCustomer360().catch(() => undefined);
  }, [found]);
  return {
    customers,
    searching: !skip && (result.loading || debounced !== query.trim()),
    searched: !skip && !result.loading && debounced === query.trim(),
    error: result.error,
  };
}

export type FoundCustomer = ReturnType<typeof useCustomerSearch>['customers'][number];

export function contactLine(c: FoundCustomer): string {
  const email = c.emails.find((e) => e.isPrimary) ?? c.emails[0];
  const phone = c.phones.find((p) => p.isPrimary) ?? c.phones[0];
  return [email?.address, phone?.number].filter(Boolean).join(' · ');
}
