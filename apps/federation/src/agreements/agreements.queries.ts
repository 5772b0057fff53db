/**
 * An agreement in force: accepted or active and within its validity. The one definition of "live
 * agreement" at the federation; `a` is the alias (or table name) of `agreement` in the statement
 * that uses it.
 */
export const agreementInForce = (a: string): string =>
  `${a}.state IN ('accepted','active') AND ${a}.valid_from <= now() AND ${a}.valid_until > now()`;
