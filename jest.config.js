// @ts-check
/** Shared by every project: TypeScript (with legacy decorators) compiled by swc to CommonJS. */
const base = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: false },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // `./client.js` that does not exist is client.ts (packages/client's sources, as Node's ES
  // module loader needs them named once built).
  resolver: '<rootDir>/tools/jest-resolver.cjs',
  // ES-module-only dependencies (fastify's `cookie`, via light-my-request, and jose) must be compiled too.
  transformIgnorePatterns: ['/node_modules/(?!\\.pnpm/(?:cookie|jose)@)(?!(?:cookie|jose)/)'],
};

/** Tests that start other processes: eslint, tsc, spectral, esbuild's service, node. */
const PROCESS = '\\.process\\.test\\.ts$';
const INTEGRATION = '\\.int\\.test\\.ts$';
/** The admin console in a browser (Chromium) against the bundled local server. */
const E2E = '\\.e2e\\.test\\.ts$';

/**
 * Five projects (`--selectProjects`), by what a test needs and costs:
 * - unit: in one process, nothing but the code (the HTTP suite on the in-memory store, once); the
 *   fast loop of ./scripts/check, 5 s per test at most;
 * - synth: the CDK stack synthesized in memory and asserted (about a second per synthesis);
 * - process: tests that run other programs (lint rules, generators, esbuild, Node's own flags);
 * - integration: DynamoDB Local, a local S3 server, the bundled server, the Lambda assets;
 * - e2e: the admin console driven in the system's Chromium against the bundled local server.
 * @type {import('jest').Config}
 */
module.exports = {
  // Integration tests talk to a real database on a shared two-core machine; the unit project sets
  // its own 5 s (tools/jest-unit-timeout.cjs).
  testTimeout: 60_000,
  // With --coverage (./scripts/test, full runs): the storage adapter's branches, error paths
  // included, as a table in the log. V8's own coverage: no instrumentation of the compiled code.
  coverageProvider: 'v8',
  collectCoverageFrom: [
    '<rootDir>/packages/adapters-dynamo/src/*.ts',
    '!<rootDir>/packages/adapters-dynamo/src/**/*.test.ts',
  ],
  coverageReporters: ['text'],
  projects: [
    {
      ...base,
      displayName: 'unit',
      setupFilesAfterEnv: ['<rootDir>/tools/jest-unit-timeout.cjs'],
      testMatch: ['<rootDir>/packages/*/src/**/*.test.ts', '<rootDir>/tools/**/*.test.ts'],
      testPathIgnorePatterns: [INTEGRATION, PROCESS, E2E, '<rootDir>/packages/infra-cdk/'],
    },
    {
      ...base,
      displayName: 'synth',
      testMatch: ['<rootDir>/packages/infra-cdk/src/**/*.test.ts'],
      testPathIgnorePatterns: [INTEGRATION, PROCESS],
    },
    {
      ...base,
      displayName: 'process',
      testMatch: [
        '<rootDir>/packages/*/src/**/*.process.test.ts',
        '<rootDir>/tools/**/*.process.test.ts',
      ],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/packages/*/src/**/*.int.test.ts'],
      globalSetup: '<rootDir>/tools/dynamodb-local/global-setup.ts',
      testEnvironment: '<rootDir>/tools/dynamodb-local/environment.ts',
    },
    {
      ...base,
      displayName: 'e2e',
      testMatch: ['<rootDir>/packages/*/src/**/*.e2e.test.ts'],
      // The typed client from its sources, as the console's build and type check take it.
      moduleNameMapper: { '^@userprofile/client$': '<rootDir>/packages/client/src/index.ts' },
      globalSetup: '<rootDir>/tools/dynamodb-local/global-setup.ts',
      testEnvironment: '<rootDir>/tools/dynamodb-local/environment.ts',
    },
  ],
};
