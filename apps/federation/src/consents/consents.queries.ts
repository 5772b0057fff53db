/** A registered consent not withdrawn. `c` is the alias (or table name) of `consent` in the statement. */
export const consentNotWithdrawn = (c: string): string => `${c}.withdrawn_at IS NULL`;

/** A registered consent in force: not withdrawn and within its validity. The registry's one definition. */
export const consentInForce = (c: string): string =>
  `${consentNotWithdrawn(c)} AND ${c}.valid_from <= now() AND ${c}.valid_until > now()`;
