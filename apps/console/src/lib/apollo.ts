import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, CombinedGraphQLErrors } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { RetryLink } from '@apollo/client/link/retry';
import { tap } from 'rxjs';
import { session } from '../auth/session';
import { network } from './network-status';

/** Where a refused request sends the user: set by the router (keeps the page for after sign-in). */
export const authEvents = { onUnauthenticated: (): void => undefined };

const auth = new SetContextLink(async (prev) => {
  const token = await session.accessToken();
  return {
    headers: {
      ...(prev.headers as Record<string, string> | undefined),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  };
});

/**
 * Reads are retried while the network is away (a banner says so); writes are never retried
 * silently: a failed mutation fails visibly and its form keeps what was typed.
 */
const retryReads = new RetryLink({
  delay: { initial: 500, max: 10_000, jitter: true },
  attempts: {
    max: Infinity,
    retryIf: (error, operation) => {
      const isNetwork =
        !CombinedGraphQLErrors.is(error) && !('statusCode' in error && Number(error.statusCode) < 500);
      if (!isNetwork) return false;
      network.setOffline(true);
      return operation.operationType === 'query';
    },
  },
});

const errors = new ErrorLink(({ error }) => {
  if (CombinedGraphQLErrors.is(error)) {
    network.setOffline(false);
    if (error.errors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED')) {
      session.end('expired');
      authEvents.onUnauthenticated();
    }
  }
});

const online = new ApolloLink((operation, forward) => {
  return forward(operation).pipe(tap(() => network.setOffline(false)));
});

export function createClient(): ApolloClient {
  return new ApolloClient({
    link: ApolloLink.from([errors, retryReads, online, auth, new HttpLink({ uri: '/graphql' })]),
    cache: new InMemoryCache({
      possibleTypes: { TimelineRecord: ['CareCase', 'Interaction', 'Order', 'SharedRecord'] },
    }),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}
