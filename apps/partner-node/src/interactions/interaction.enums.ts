import { registerEnumType } from '@nestjs/graphql';

export enum InteractionChannel {
  PHONE = 'phone',
  EMAIL = 'email',
  FAX = 'fax',
  CHAT = 'chat',
  SOCIAL = 'social',
  IN_PERSON = 'in_person',
  WEB = 'web',
}
registerEnumType(InteractionChannel, {
  name: 'InteractionChannel',
  description: 'phone, e-mail, fax, chat, social network, in person, web (forms, self-service)',
});

export enum InteractionDirection {
  INBOUND = 'inbound',
  OUTBOUND = 'outbound',
}
registerEnumType(InteractionDirection, {
  name: 'InteractionDirection',
  description: 'INBOUND: the customer contacted us; OUTBOUND: we contacted the customer.',
});

export enum InteractionSort {
  OCCURRED_AT_DESC = 'occurred_at_desc',
  OCCURRED_AT_ASC = 'occurred_at_asc',
}
registerEnumType(InteractionSort, { name: 'InteractionSort', description: 'Default: OCCURRED_AT_DESC.' });
