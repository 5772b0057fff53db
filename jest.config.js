// Jest runs our TypeScript as native ES modules (NestJS 12 packages are ESM-only), compiled by SWC.
// Start it through `npm test`, which sets NODE_OPTIONS=--experimental-vm-modules.
import { readFileSync } from 'node:fs';

const swc = JSON.parse(readFileSync(new URL('./.swcrc', import.meta.url), 'utf8'));
delete swc.$schema;

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^#protocol$': '<rootDir>/libs/protocol/src/index.ts',
    '^#fixtures$': '<rootDir>/libs/fixtures/src/index.ts',
    '^#segments$': '<rootDir>/libs/segments/src/index.ts',
    '^#matching$': '<rootDir>/libs/matching/src/index.ts',
    '^#compliance$': '<rootDir>/libs/compliance/src/index.ts',
    '^#disclosure$': '<rootDir>/libs/disclosure/src/index.ts',
    '^#ledger/cli/(.*)$': '<rootDir>/libs/ledger/src/cli/$1',
    '^#ledger$': '<rootDir>/libs/ledger/src/index.ts',
    '^#federation-client$': '<rootDir>/libs/federation-client/src/index.ts',
    '^#platform/(.*)$': '<rootDir>/libs/platform/src/$1',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  testTimeout: 60000,
  // Three on the two cores: with two, the heavy suites (servers, fault tests) left the machine 17 % idle
  // while they waited on PostgreSQL, Redis and timers; with three, 6 %, and those suites ran in 8 % less
  // time (measured, session 19).
  maxWorkers: 3,
  // A worker whose memory passes 1 GB after a test file is replaced. Without it each of the two
  // ended the run with 1.5–1.9 GB of heap in use (2.9–3.2 GB resident) and took 0.67–0.88 s to tear
  // down after its 'exit' event, over the 500 ms Jest allows: the "worker process has failed to exit
  // gracefully" warning, with no handle or request left open (measured, session 14).
  workerIdleMemoryLimit: '1GB',
};
