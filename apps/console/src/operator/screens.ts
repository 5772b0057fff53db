import type { Role, Screen } from '../routes';

/** The federation's people: the network operator; its compliance officer reads (server-side roles too). */
const OPERATOR: readonly Role[] = ['OPERATOR'];
const READERS: readonly Role[] = ['OPERATOR', 'COMPLIANCE'];

const screen = (path: string, roles: readonly Role[], labelKey: string, load: Screen['load']): Screen => ({
  path,
  roles,
  server: 'federation',
  nav: { labelKey, to: `/${path}` },
  load,
});

/** The operator screens (see routes.tsx): this area adds its entries here, nowhere else. */
export const operatorScreens: readonly Screen[] = [
  screen('operator/applications', OPERATOR, 'operator.nav.applications', () => import('./ApplicationsPage')),
  screen('operator/members', READERS, 'operator.nav.members', () => import('./MembersPage')),
  screen('operator/agreements', READERS, 'operator.nav.agreements', () => import('./AgreementsPage')),
  screen('operator/registry', READERS, 'operator.nav.registry', () => import('./RegistryPage')),
  screen('operator/refusals', READERS, 'operator.nav.refusals', () => import('./RefusalsPage')),
  screen('operator/relay', READERS, 'operator.nav.relay', () => import('./RelayPage')),
  screen('operator/ledger', READERS, 'operator.nav.ledger', () => import('./LedgerPage')),
  screen('operator/keys', READERS, 'operator.nav.keys', () => import('./KeysPage')),
];
