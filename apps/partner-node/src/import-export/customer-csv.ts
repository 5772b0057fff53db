import type { CsvColumn } from '#platform/csv/csv-columns';
import { customAttributesProblem } from '../customers/custom-attributes.js';
import { LifecycleStage } from '../customers/customer.enums.js';
import { MAX_EXTERNAL_ID, MAX_NAME, MAX_TAG, MAX_TAGS } from '../customers/customers.dto.js';

/**
 * The customers CSV (`concordia import-customers file.csv`): UTF-8, comma-separated, a header
 * line naming the columns (any order, case-insensitive), one customer per line.
 *
 * Customers are matched by `external_id`: a new one is created, a known one is updated, an
 * unchanged one is left alone (re-importing a file changes nothing). A column left out of the
 * file leaves that field as it is; an empty cell clears it, except `lifecycle_stage` (kept; `lead`
 * for a new customer) and `email` / `phone` (kept). The e-mail and phone become the customer's
 * primary ones; other e-mails and phones already known are kept as secondary.
 */
export const CUSTOMER_COLUMNS: readonly CsvColumn[] = [
  {
    name: 'external_id',
    kind: 'text',
    required: true,
    maxLength: MAX_EXTERNAL_ID,
    description: 'Key of the customer in the source system; unique in the file',
  },
  { name: 'first_name', kind: 'text', required: true, maxLength: MAX_NAME, description: 'Given name' },
  { name: 'last_name', kind: 'text', required: true, maxLength: MAX_NAME, description: 'Family name' },
  { name: 'email', kind: 'email', description: 'Primary e-mail (stored lower-cased)' },
  { name: 'phone', kind: 'phone', description: 'Primary phone, international form, e.g. +33 1 23 45 67 89' },
  { name: 'address_line1', kind: 'text', maxLength: 200, description: 'Street address' },
  { name: 'address_line2', kind: 'text', maxLength: 200, description: 'Street address, second line' },
  { name: 'address_postal_code', kind: 'text', maxLength: 20, description: 'Postal code' },
  { name: 'address_city', kind: 'text', maxLength: 200, description: 'City' },
  { name: 'address_region', kind: 'text', maxLength: 200, description: 'Region, state or county' },
  { name: 'address_country', kind: 'country', description: 'ISO 3166-1 alpha-2, e.g. FR' },
  { name: 'language', kind: 'language', description: 'BCP 47 tag, e.g. fr or en-GB' },
  {
    name: 'lifecycle_stage',
    kind: 'enum',
    values: Object.values(LifecycleStage),
    description: 'Relationship stage (default lead)',
  },
  {
    name: 'tags',
    kind: 'list',
    maxLength: MAX_TAG,
    maxItems: MAX_TAGS,
    description: `Tags separated by "|", e.g. vip|newsletter (at most ${MAX_TAGS})`,
  },
  {
    name: 'attributes',
    kind: 'json-object',
    maxLength: 8192,
    refine: customAttributesProblem,
    description: 'Custom attributes: a flat JSON object, e.g. {"segment":"gold","score":42}',
  },
];

/** Staging columns, in CUSTOMER_COLUMNS order. */
export const CUSTOMER_STAGE_COLUMNS = CUSTOMER_COLUMNS.map((c) => c.name);
