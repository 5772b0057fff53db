import type { Type } from '@nestjs/common';

/**
 * The CRM's feature modules (customers, companies, interactions…). Each is self-contained: its
 * entities, service, resolver and tests live side by side in its folder. Register new ones here.
 */
export const FEATURE_MODULES: Type[] = [];
