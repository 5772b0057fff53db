export * from './vocabulary.js';
export {
  entityIdSchema,
  idSchema,
  subjectTokenSchema,
  publicJwkSchema,
  jwksSchema,
  audienceSchema,
} from './common.js';
export * from './membership.js';
export * from './agreement.js';
export * from './consent.js';
export * from './share.js';
export * from './history-request.js';
export * from './merge.js';
export * from './kinds.js';
export * from './sign.js';
