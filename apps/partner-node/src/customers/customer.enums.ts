import { registerEnumType } from '@nestjs/graphql';

/** Where a person stands in the relationship with this partner. */
export enum LifecycleStage {
  LEAD = 'lead',
  PROSPECT = 'prospect',
  CUSTOMER = 'customer',
  CHURNED = 'churned',
}
registerEnumType(LifecycleStage, {
  name: 'LifecycleStage',
  description: 'lead, prospect, customer, churned',
});

/** Orders of the customers list; the id breaks ties so that keyset pages never skip or repeat. */
export enum CustomerSort {
  CREATED_AT_DESC = 'created_at_desc',
  CREATED_AT_ASC = 'created_at_asc',
  UPDATED_AT_DESC = 'updated_at_desc',
  UPDATED_AT_ASC = 'updated_at_asc',
  LAST_NAME_ASC = 'last_name_asc',
  LAST_NAME_DESC = 'last_name_desc',
}
registerEnumType(CustomerSort, { name: 'CustomerSort', description: 'Default: CREATED_AT_DESC.' });
