import type { Screen } from '../routes';

/** The admin screens (see routes.tsx): this area adds its entries here, nowhere else. */
export const adminScreens: readonly Screen[] = [];
