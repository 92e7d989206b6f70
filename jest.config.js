/**
 * NestJS 12 ships as ES modules only, so the tests run in Jest's native ESM
 * mode (`--experimental-vm-modules`, set by `npm test`) with ts-jest.
 * @type {import('jest').Config}
 */
export default {
  rootDir: '.',
  testEnvironment: 'node',
  // class-validator and TypeORM keep their decorator metadata on the global object on purpose.
  testEnvironmentOptions: { globalsCleanup: 'off' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  extensionsToTreatAsEsm: ['.ts'],
  testRegex: '(src|test)/.*\\.(spec|e2e-spec)\\.ts$',
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  setupFilesAfterEnv: ['<rootDir>/test/support/verify-stock-after-suite.ts'],
  testTimeout: 30000,
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', useESM: true }],
    '/node_modules/@nestjs/throttler/.+\\.js$': '<rootDir>/test/support/cjs-requires-esm.transform.cjs',
  },
  // CommonJS packages that require() ESM-only NestJS packages (see the transform).
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/throttler/)'],
  setupFiles: ['<rootDir>/test/support/esm-for-cjs.setup.ts'],
};
