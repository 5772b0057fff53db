/** English strings of the operator screens (merged into the catalogue under `operator`). */
export const operatorEn = {} as const;
