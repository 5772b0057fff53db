import type { Screen } from '../routes';

/** The operator screens (see routes.tsx): this area adds its entries here, nowhere else. */
export const operatorScreens: readonly Screen[] = [];
