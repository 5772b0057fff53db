// The fast tier (`npm run test:fast`): the specs that need neither PostgreSQL nor Redis: the
// libraries' (the pure libraries, the federation client against a local HTTP server, platform's
// policies) and the apps' pure rules, named `*.unit.spec.ts`. The full tier stays `npm test`
// (jest.config.js), which runs these too.
import base from './jest.config.js';

export default {
  ...base,
  roots: ['<rootDir>/libs', '<rootDir>/apps'],
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.unit.spec.ts'],
  // The ledger and the packed text arrays run over PostgreSQL, the queue drivers over Redis: full tier only.
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/libs/ledger/',
    '<rootDir>/libs/platform/src/queue/',
    '<rootDir>/libs/platform/src/database/packed-text-array.spec.ts',
  ],
};
