/** English strings of the admin screens (merged into the catalogue under `admin`). */
export const adminEn = {} as const;
