/** English strings of the marketing screens (merged into the catalogue under `marketing`). */
export const marketingEn = {} as const;
