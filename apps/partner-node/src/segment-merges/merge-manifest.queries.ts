import { defineQueries } from '#platform/database/named-queries';
import { contactIdentifiersOf } from '../customers/customer-subject.queries.js';
import { membersOfSegment } from '../segments/segment-references.queries.js';

/**
 * What a merge's manifest is built from, in one statement over a whole segment (its members' ids
 * do not travel to the node and back): the segments module says who the members are
 * (`membersOfSegment`), the customers module which of them are live and their e-mail addresses
 * and phone numbers (`contactIdentifiersOf`).
 */
export const SEGMENT_MERGE_MANIFEST_QUERIES = defineQueries('segment-merges', {
  /** Every e-mail address and phone number of the live members of segment $1, with their country. */
  manifestIdentifiers: contactIdentifiersOf(membersOfSegment('$1')),
});
