/**
 * A text[] parameter of long strings (JWSs, canonical JSON) sent as one JSON text (issue 17):
 * node-postgres writes a text[] parameter by escaping each element in JavaScript (two regular
 * expression passes and concatenations per element, a tenth of the federation's time on a batch
 * of registrations); JSON.stringify writes the same strings natively. The statement reads the
 * array back with `fromJsonTextArray`.
 */
export const jsonTextArray = (values: readonly (string | null)[]): string => JSON.stringify(values);

/** SQL: the text[] that parameter `param` (written by `jsonTextArray`) holds, in its order (a null as NULL). */
export const fromJsonTextArray = (param: string): string =>
  `ARRAY(SELECT json_array_elements_text(${param}::json))`;
