// Tests run as native ES modules (as the app does); @swc/jest strips the types.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  // Sources import './x.js' (NodeNext); under jest those resolve to the .ts files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/{apps,lib,config}/**/*.spec.ts', '<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
  // A deadline for a test that hangs, not a speed target: with every core busy an end-to-end test
  // takes several times as long as on an idle machine.
  testTimeout: 90_000,
  // Integration and end-to-end files start servers of their own; two at a time fits 2 cores.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.mjs'],
};
