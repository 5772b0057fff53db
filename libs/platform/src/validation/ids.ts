const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in its text form: ids that are not cannot name a row (PostgreSQL would refuse them). */
export const isUuid = (value: string): boolean => UUID.test(value);
