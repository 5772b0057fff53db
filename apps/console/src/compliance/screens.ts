import type { Role, Screen } from '../routes';

// The server allows admins every compliance query too (ComplianceResolver: COMPLIANCE, ADMIN).
const COMPLIANCE_ROLES: readonly Role[] = ['COMPLIANCE', 'ADMIN'];

/** The compliance screens (see routes.tsx): this area adds its entries here, nowhere else. */
export const complianceScreens: readonly Screen[] = [
  {
    path: 'compliance',
    roles: COMPLIANCE_ROLES,
    nav: { labelKey: 'compliance.nav.home', to: '/compliance' },
    load: () => import('./ComplianceHome'),
  },
  { path: 'compliance/customers/:id', roles: COMPLIANCE_ROLES, load: () => import('./CustomerCompliance') },
  {
    path: 'compliance/violations',
    roles: COMPLIANCE_ROLES,
    nav: { labelKey: 'compliance.nav.violations', to: '/compliance/violations' },
    load: () => import('./Violations'),
  },
  {
    path: 'compliance/records',
    roles: COMPLIANCE_ROLES,
    nav: { labelKey: 'compliance.nav.records', to: '/compliance/records' },
    load: () => import('./Records'),
  },
  {
    path: 'compliance/ledger',
    roles: COMPLIANCE_ROLES,
    nav: { labelKey: 'compliance.nav.ledger', to: '/compliance/ledger' },
    load: () => import('./Ledger'),
  },
];
