import type { Role, Screen } from '../routes';

const ADMIN: readonly Role[] = ['ADMIN'];

/** The admin screens (see routes.tsx): this area adds its entries here, nowhere else. */
export const adminScreens: readonly Screen[] = [
  {
    path: 'admin/users',
    roles: ADMIN,
    nav: { labelKey: 'admin.nav.users', to: '/admin/users' },
    load: () => import('./Users'),
  },
  {
    path: 'admin/notices',
    roles: ADMIN,
    nav: { labelKey: 'admin.nav.notices', to: '/admin/notices' },
    load: () => import('./Notices'),
  },
  {
    path: 'admin/agreements',
    roles: ADMIN,
    nav: { labelKey: 'admin.nav.agreements', to: '/admin/agreements' },
    load: () => import('./Agreements'),
  },
  {
    path: 'admin/network',
    roles: ADMIN,
    nav: { labelKey: 'admin.nav.network', to: '/admin/network' },
    load: () => import('./Network'),
  },
  {
    path: 'admin/imports',
    roles: ADMIN,
    nav: { labelKey: 'admin.nav.imports', to: '/admin/imports' },
    load: () => import('./Imports'),
  },
  {
    path: 'admin/operations',
    roles: ADMIN,
    nav: { labelKey: 'admin.nav.operations', to: '/admin/operations' },
    load: () => import('./Operations'),
  },
];
