import { registerEnumType } from '@nestjs/graphql';

export enum LeadSource {
  CAMPAIGN = 'campaign',
  WEB_FORM = 'web_form',
  REFERRAL = 'referral',
  TELEMARKETING = 'telemarketing',
  EVENT = 'event',
  PARTNER = 'partner',
  OTHER = 'other',
}
registerEnumType(LeadSource, { name: 'LeadSource', description: 'Where the lead came from.' });

export enum LeadStatus {
  NEW = 'new',
  CONTACTED = 'contacted',
  QUALIFIED = 'qualified',
  DISQUALIFIED = 'disqualified',
  CONVERTED = 'converted',
}
registerEnumType(LeadStatus, {
  name: 'LeadStatus',
  description: 'CONVERTED is set only by convertLead, and is final.',
});

export enum LeadSort {
  CREATED_AT_DESC = 'created_at_desc',
  CREATED_AT_ASC = 'created_at_asc',
  SCORE_DESC = 'score_desc',
  UPDATED_AT_DESC = 'updated_at_desc',
}
registerEnumType(LeadSort, { name: 'LeadSort', description: 'Default: CREATED_AT_DESC.' });
