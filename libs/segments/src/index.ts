export * from './rule.js';
export * from './sql.js';
export * from './trend.js';
export * from './rule-fields.js';
