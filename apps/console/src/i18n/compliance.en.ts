/** English strings of the compliance screens (merged into the catalogue under `compliance`). */
export const complianceEn = {} as const;
