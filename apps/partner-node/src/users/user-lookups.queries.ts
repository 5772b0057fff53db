import { defineQueries } from '#platform/database/named-queries';

/** How other modules find a user they know by a field of it. Run by UserLookupsRepository. */
export const USER_LOOKUP_QUERIES = defineQueries('users', {
  /** The id of the user whose e-mail is exactly $1 (as stored: no case folding). */
  idByEmail: `SELECT id FROM app_user WHERE email = $1`,
});
