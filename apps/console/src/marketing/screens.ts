import type { Role, Screen } from '../routes';

/** Who the marketing screens are for: the server lets marketers and admins write segments, campaigns and merges. */
export const MARKETING_ROLES: readonly Role[] = ['MARKETER', 'ADMIN'];

/** The marketing screens (see routes.tsx): this area adds its entries here, nowhere else. */
export const marketingScreens: readonly Screen[] = [
  {
    path: 'marketing/segments',
    roles: MARKETING_ROLES,
    nav: { labelKey: 'marketing.nav.segments', to: '/marketing/segments' },
    load: () => import('./SegmentsPage'),
  },
  { path: 'marketing/segments/new', roles: MARKETING_ROLES, load: () => import('./SegmentEditorPage') },
  { path: 'marketing/segments/:id', roles: MARKETING_ROLES, load: () => import('./SegmentPage') },
  { path: 'marketing/segments/:id/edit', roles: MARKETING_ROLES, load: () => import('./SegmentEditorPage') },
  {
    path: 'marketing/statistics',
    roles: MARKETING_ROLES,
    nav: { labelKey: 'marketing.nav.statistics', to: '/marketing/statistics' },
    load: () => import('./StatisticsPage'),
  },
  {
    path: 'marketing/campaigns',
    roles: MARKETING_ROLES,
    nav: { labelKey: 'marketing.nav.campaigns', to: '/marketing/campaigns' },
    load: () => import('./CampaignsPage'),
  },
  { path: 'marketing/campaigns/:id', roles: MARKETING_ROLES, load: () => import('./CampaignPage') },
  {
    path: 'marketing/merges',
    roles: MARKETING_ROLES,
    nav: { labelKey: 'marketing.nav.merges', to: '/marketing/merges' },
    load: () => import('./MergesPage'),
  },
  { path: 'marketing/merges/:id', roles: MARKETING_ROLES, load: () => import('./MergePage') },
];
