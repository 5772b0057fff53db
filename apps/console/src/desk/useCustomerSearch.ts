import { useQuery } from '@apollo/client/react';
import { useDebouncedValue } from '@mantine/hooks';
import { SearchCustomers } from './queries';

export const SEARCH_DEBOUNCE_MS = 200;

/** Results as the user types: one searchCustomers per pause in typing (2 characters at least). */
export function useCustomerSearch(query: string) {
  const [debounced] = useDebouncedValue(query.trim(), SEARCH_DEBOUNCE_MS);
  const skip = debounced.length < 2;
  const result = useQuery(SearchCustomers, {
    variables: { query: debounced, first: 10 },
    skip,
    fetchPolicy: 'cache-first',
  });
  const data = result.data ?? result.previousData;
  return {
    customers: skip ? [] : (data?.searchCustomers ?? []),
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
