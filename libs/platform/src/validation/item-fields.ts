/**
 * How a service rule names the field it refuses when the same rule checks one input or a list of
 * them: bare for a single call (`customerId`, as the GraphQL mutation's input names it), the item's
 * path for a batch (`cases[3].customerId`), so a refused batch says which item is wrong.
 */
export type FieldOf = (index: number, field: string) => string;

/** A single call: the field alone. */
export const singleInput: FieldOf = (_index, field) => field;

/** A batch given as `list`: `list[index].field`. */
export const itemsOf =
  (list: string): FieldOf =>
  (index, field) =>
    `${list}[${index}].${field}`;
