/** Every migration of the federation's own database, in order. */
export const FEDERATION_MIGRATIONS: (new () => unknown)[] = [];
