/** Each interaction's customer, as a relation (id, customer_id) for the violations report's checks of sent records. */
export const INTERACTION_OWNERS = `(SELECT id, customer_id FROM interaction)`;
