import { defineQueries } from '#platform/database/named-queries';

/**
 * The customers CSV import's writes to this module's tables (the import itself, staging and checks,
 * lives in import-export). They read the import's temporary staging table `import_customer_stage`:
 * one `text` column per CSV column, named like the customer's columns (`email`, `phone` and `tags`
 * as the file gives them, already normalised), NULL when empty or when the column is not in the file.
 *
 * `work` compares the file with what is stored in one join (by external id, then the primary e-mail
 * and phone) and keeps only the rows that change something, new customers with the id they will
 * get, in id order: an unchanged row then costs no write, no index entry and no trigger. $1 lists
 * the customer columns the file has: a column left out keeps its value (its default for a new
 * customer). The statements below write only what `work` holds, and are not run at all when there
 * is nothing for them (a statement trigger fires even for no row).
 */
const FIELDS = [
  'first_name',
  'last_name',
  'address_line1',
  'address_line2',
  'address_postal_code',
  'address_city',
  'address_region',
  'address_country',
  'language',
  'lifecycle_stage',
  'tags',
  'attributes',
] as const;

/** The customer columns a file may set. */
export const CUSTOMER_IMPORT_FIELDS: readonly string[] = FIELDS;

/** A field's value from the file (`s`) or, when not in the file, the stored one (`c`, if any). */
const FILE_VALUE: Record<(typeof FIELDS)[number], [fromFile: string, kept: string]> = {
  first_name: ['s.first_name', 'c.first_name'],
  last_name: ['s.last_name', 'c.last_name'],
  address_line1: ['s.address_line1', 'c.address_line1'],
  address_line2: ['s.address_line2', 'c.address_line2'],
  address_postal_code: ['s.address_postal_code', 'c.address_postal_code'],
  address_city: ['s.address_city', 'c.address_city'],
  address_region: ['s.address_region', 'c.address_region'],
  address_country: ['s.address_country', 'c.address_country'],
  language: ['s.language', 'c.language'],
  // Cannot be empty: an empty cell keeps the current stage (lead for a new customer).
  lifecycle_stage: [
    `coalesce(s.lifecycle_stage, c.lifecycle_stage, 'lead')`,
    `coalesce(c.lifecycle_stage, 'lead')`,
  ],
  tags: [`coalesce(string_to_array(s.tags, '|'), '{}'::text[])`, `coalesce(c.tags, '{}'::text[])`],
  attributes: [`coalesce(s.attributes::jsonb, '{}'::jsonb)`, `coalesce(c.attributes, '{}'::jsonb)`],
};
// $1 is a parameter of the statement: the planner folds each CASE to one of its branches.
const value = (f: (typeof FIELDS)[number]) =>
  `CASE WHEN '${f}' = ANY($1::text[]) THEN ${FILE_VALUE[f][0]} ELSE ${FILE_VALUE[f][1]} END`;
const list = (prefix: string) => FIELDS.map((f) => `${prefix}${f}`).join(', ');

/** Contact statements, the same for e-mails and phones. */
const contact = (table: string, column: string, from: 'email' | 'phone') => ({
  // A new customer has none yet: plain inserts.
  new: `INSERT INTO ${table} (customer_id, ${column}, is_primary)
        SELECT id, ${from}, true FROM import_customer_work WHERE is_new AND ${from} IS NOT NULL`,
  // The file's one becomes primary; the previous primary one stays, as secondary.
  demote: `UPDATE ${table} x SET is_primary = false
             FROM import_customer_work w
            WHERE w.${from}_changed AND NOT w.is_new AND x.customer_id = w.id AND x.is_primary
              AND x.${column} <> w.${from}`,
  promote: `INSERT INTO ${table} AS x (customer_id, ${column}, is_primary)
            SELECT id, ${from}, true FROM import_customer_work WHERE ${from}_changed AND NOT is_new
            ON CONFLICT (customer_id, ${column}) DO UPDATE SET is_primary = true WHERE NOT x.is_primary`,
});
const email = contact('customer_email', 'address', 'email');
const phone = contact('customer_phone', 'number', 'phone');

export const CUSTOMER_IMPORT_QUERIES = defineQueries('customers', {
  importWork: `
    CREATE TEMP TABLE import_customer_work ON COMMIT DROP AS
    SELECT * FROM (
      SELECT coalesce(c.id, gen_random_uuid()) AS id, c.id IS NULL AS is_new, s.external_id,
             ${FIELDS.map((f) => `${value(f)} AS ${f}`).join(',\n             ')},
             c.id IS NULL OR (${list('c.')}) IS DISTINCT FROM (${FIELDS.map(value).join(', ')}) AS fields_changed,
             lower(s.email) AS email, s.email IS NOT NULL AND e.address IS DISTINCT FROM lower(s.email) AS email_changed,
             s.phone AS phone, s.phone IS NOT NULL AND p.number IS DISTINCT FROM s.phone AS phone_changed
        FROM import_customer_stage s
        LEFT JOIN customer c ON c.external_id = s.external_id
        LEFT JOIN customer_email e ON e.customer_id = c.id AND e.is_primary
        LEFT JOIN customer_phone p ON p.customer_id = c.id AND p.is_primary
    ) w
     WHERE fields_changed OR email_changed OR phone_changed
     -- In id order: the inserts walk the indexes keyed by customer id (and the foreign keys'
     -- probes of customer_pkey) page after page, not at random.
     ORDER BY id`,
  importWorkCounts: `
    SELECT count(*) FILTER (WHERE is_new)::int AS inserted,
           count(*) FILTER (WHERE fields_changed AND NOT is_new)::int AS updated,
           count(*) FILTER (WHERE (email_changed OR phone_changed) AND NOT is_new)::int AS contacts
      FROM import_customer_work`,
  importAnalyzeWork: `ANALYZE import_customer_work`,
  // A customer created meanwhile with one of these external ids makes the unique index refuse the
  // import as a whole (nothing written); it can be run again.
  importInsertNew: `
    INSERT INTO customer (id, external_id, ${list('')})
    SELECT id, external_id, ${list('')} FROM import_customer_work WHERE is_new`,
  importUpdateChanged: `
    UPDATE customer c SET ${FIELDS.map((f) => `${f} = w.${f}`).join(', ')}, updated_at = now()
      FROM import_customer_work w
     WHERE c.id = w.id AND w.fields_changed AND NOT w.is_new`,
  importNewEmails: email.new,
  importDemoteEmails: email.demote,
  importPromoteEmails: email.promote,
  importNewPhones: phone.new,
  importDemotePhones: phone.demote,
  importPromotePhones: phone.promote,
});
