import type { Screen } from '../routes';

/** The compliance screens (see routes.tsx): this area adds its entries here, nowhere else. */
export const complianceScreens: readonly Screen[] = [];
