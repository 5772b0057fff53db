import type { ComponentType } from 'react';
import type { ServerKind } from './auth/session';
import type { Area } from './i18n';
import { adminScreens } from './admin/screens';
import { complianceScreens } from './compliance/screens';
import { marketingScreens } from './marketing/screens';
import { operatorScreens } from './operator/screens';

/**
 * Roles as the servers name them: a node's (Role enum of schema.graphql) and the federation's
 * operator (FederationRole of schema.federation.graphql; its COMPLIANCE is the federation's own).
 */
export type Role = 'AGENT' | 'MARKETER' | 'COMPLIANCE' | 'ADMIN' | 'OPERATOR';

export const DESK_ROLES: readonly Role[] = ['AGENT', 'ADMIN'];

/**
 * One entry per screen: its path, the roles that may open it (the route refuses others with the
 * role-needed notice, and the nav does not offer it), and its code, loaded on demand so each role's
 * screens are their own chunks. Later parts (marketing, compliance, admin, the federation's
 * operator) add entries here; the shell needs no change.
 */
export interface Screen {
  path: string;
  roles: readonly Role[];
  /** The kind of server whose console shows it (default: a partner node). */
  server?: ServerKind;
  /** The area whose strings the screen (and its nav entry) needs, loaded with the user's areas. */
  area?: Area;
  /** Shown in the navigation (screens reached from another screen have none). */
  nav?: { labelKey: string; to: string };
  load: () => Promise<{ default: ComponentType }>;
}

/** The customer 360's code: also loaded ahead, once search results show (the desk, the spotlight). */
export const loadCustomer360 = () => import('./desk/Customer360');

export const screens: readonly Screen[] = [
  {
    path: 'desk',
    roles: DESK_ROLES,
    nav: { labelKey: 'nav.desk', to: '/desk' },
    load: () => import('./desk/DeskHome'),
  },
  { path: 'desk/customers/:id', roles: DESK_ROLES, load: loadCustomer360 },
  ...inArea('marketing', marketingScreens),
  ...inArea('compliance', complianceScreens),
  ...inArea('admin', adminScreens),
  ...inArea('operator', operatorScreens),
];

function inArea(area: Area, list: readonly Screen[]): Screen[] {
  return list.map((screen) => ({ ...screen, area }));
}
