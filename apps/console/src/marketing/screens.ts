import type { Screen } from '../routes';

/** The marketing screens (see routes.tsx): this area adds its entries here, nowhere else. */
export const marketingScreens: readonly Screen[] = [];
