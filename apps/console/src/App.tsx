import { ApolloProvider } from '@apollo/client/react';
import { Center, Loader, MantineProvider, createTheme } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, RouterProvider, useLocation } from 'react-router';
import { session } from './auth/session';
import { languageReady } from './i18n';
import { mayOpen, useSession } from './auth/useSession';
import { authEvents, createClient } from './lib/apollo';
import { screens, type Screen } from './routes';
import { ForbiddenPage, NotFoundPage } from './shell/Forbidden';
import { Home, Shell } from './shell/Shell';

// Darker shades than Mantine's defaults so text on colour meets WCAG AA contrast (axe-core). People
// whose system asks for reduced motion get dialogs, menus and notifications without transitions.
const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  defaultRadius: 'md',
  respectReducedMotion: true,
});
const client = createClient();

/** Pages behind the sign-in: without a session, go to /login and come back here afterwards. */
function RequireSession({ children }: { children: ReactNode }) {
  const state = useSession();
  const location = useLocation();
  if (!state) {
    const from = location.pathname + location.search;
    return <Navigate to={`/login?from=${encodeURIComponent(from)}`} replace />;
  }
  return children;
}

/** A screen's route refuses the roles it is not for, saying which role is needed. */
function RoleGate({ screen, children }: { screen: Screen; children: ReactNode }) {
  const state = useSession();
  return mayOpen(state, screen) ? children : <ForbiddenPage roles={screen.roles} />;
}

const router = createBrowserRouter([
  // Its own chunk: a signed-in page load (session resumed from the cookie) never needs it.
  { path: '/login', lazy: async () => ({ Component: (await import('./login/LoginPage')).LoginPage }) },
  {
    path: '/',
    element: (
      <RequireSession>
        <Shell />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Home /> },
      ...screens.map((screen) => ({
        path: screen.path,
        lazy: async () => {
          const { default: Component } = await screen.load();
          return {
            element: (
              <RoleGate screen={screen}>
                <Component />
              </RoleGate>
            ),
          };
        },
      })),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

// A request refused as unauthenticated: back to the sign-in, keeping the page for afterwards.
authEvents.onUnauthenticated = () => {
  const { pathname, search } = window.location;
  if (pathname !== '/login') void router.navigate(`/login?from=${encodeURIComponent(pathname + search)}`);
};
// Signed out (button, idle timeout, server): clear cached data of the previous user.
session.subscribe(() => {
  if (!session.current) void client.clearStore();
});

export function App() {
  const [resumed, setResumed] = useState(false);
  const { t } = useTranslation();
  useEffect(() => {
    // A page load resumes the session from the httpOnly cookie, if there is one.
    void Promise.allSettled([session.renew(), languageReady]).finally(() => setResumed(true));
  }, []);
  return (
    <MantineProvider theme={theme}>
      <Notifications position="top-right" />
      <ApolloProvider client={client}>
        {resumed ? (
          <RouterProvider router={router} />
        ) : (
          <Center h="100vh">
            <Loader role="status" aria-label={t('session.resuming')} />
          </Center>
        )}
      </ApolloProvider>
    </MantineProvider>
  );
}
