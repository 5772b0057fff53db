import {
  AppShell,
  Burger,
  Group,
  NavLink,
  NativeSelect,
  Stack,
  Text,
  Button,
  Alert,
  Title,
  Kbd,
  Center,
  Loader,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { session, type SessionState } from '../auth/session';
import { hasAnyRole, mayOpen, useSession } from '../auth/useSession';
import { LANGUAGES, loadAreaStrings, setLanguage, type Area, type Language } from '../i18n';
import { network } from '../lib/network-status';
import { DESK_ROLES, screens } from '../routes';
import { CustomerSpotlight } from '../desk/CustomerSpotlight';
import { IdleWarning } from './IdleWarning';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      aria-label={t('nav.language')}
      data-testid="language-switch"
      w={120}
      size="xs"
      value={i18n.language}
      data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
      onChange={(event) => setLanguage(event.currentTarget.value as Language)}
    />
  );
}

/**
 * Loads the strings of the areas this user may open (each area's catalogue is its own chunk, so a
 * care agent's first load carries none of them); true once they are in.
 */
function useAreaStrings(state: SessionState | null): boolean {
  const key = state
    ? [...new Set(screens.filter((s) => s.area && mayOpen(state, s)).map((s) => s.area!))].sort().join(',')
    : '';
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const done = () => {
      if (live) setLoadedKey(key);
    };
    // On failure (offline) the screens still open, with their keys shown until a reload.
    loadAreaStrings(key ? (key.split(',') as Area[]) : []).then(done, done);
    return () => {
      live = false;
    };
  }, [key]);
  return loadedKey === key;
}

/** One shell for every role: the nav offers only the screens the user's roles may open. */
export function Shell() {
  const { t } = useTranslation();
  const state = useSession();
  const location = useLocation();
  const [opened, { toggle }] = useDisclosure();
  const offline = useSyncExternalStore(network.subscribe, network.getSnapshot);
  const stringsReady = useAreaStrings(state);
  if (!state) return null;
  if (!stringsReady) {
    return (
      <Center h="100vh">
        <Loader aria-label={t('session.resuming')} />
      </Center>
    );
  }
  const offered = screens.filter((s) => s.nav && mayOpen(state, s));
  const canSearch = state.server === 'node' && hasAnyRole(state, DESK_ROLES);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href="#main" className="skip-link">
        {t('app.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('nav.openMenu')}
            />
            <Text fw={700} size="lg" component={Link} to="/" c="inherit" td="none">
              {t('app.name')}
            </Text>
          </Group>
          <Group wrap="nowrap">
            {canSearch && <CustomerSpotlight />}
            <LanguageSwitch />
            <Button variant="subtle" onClick={() => void session.logout('user')} data-testid="sign-out">
              {t('nav.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" component="nav" aria-label={t('nav.main')}>
        <Stack gap={4} style={{ flex: 1 }}>
          {offered.map((s) => (
            <NavLink
              key={s.path}
              component={Link}
              to={s.nav!.to}
              label={t(s.nav!.labelKey)}
              active={location.pathname.startsWith(s.nav!.to)}
            />
          ))}
        </Stack>
        <Stack gap={0}>
          <Text size="sm" fw={500}>
            {t('nav.signedInAs', { name: state.user.name })}
          </Text>
          <Text size="xs" c="dimmed">
            {t('nav.roles', {
              roles: state.user.roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join(', '),
            })}
          </Text>
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {offline && (
          <Alert color="yellow.9" mb="md" role="status" data-testid="offline-banner">
            {t('errors.offline')}
          </Alert>
        )}
        <Outlet />
      </AppShell.Main>
      <IdleWarning idleTimeoutSeconds={state.idleTimeoutSeconds} />
    </AppShell>
  );
}

/** `/`: where each role starts. */
export function Home() {
  const { t } = useTranslation();
  const state = useSession();
  const offered = screens.filter((s) => s.nav && mayOpen(state, s));
  return (
    <Stack maw={720}>
      <Title order={1}>{t('home.title', { name: state?.user.name ?? '' })}</Title>
      <Text>{offered.length ? t('home.pick') : t('home.noScreens')}</Text>
      {hasAnyRole(state, DESK_ROLES) && (
        <Text size="sm" c="dimmed">
          {t('nav.findCustomer')}: <Kbd>Ctrl</Kbd> + <Kbd>K</Kbd>
        </Text>
      )}
    </Stack>
  );
}
