/**
 * `npm test`: every layer that runs in seconds (transpile-only with swc; type-checking is `npm run typecheck`).
 * The tests that drive real tools on the rendered artifacts (`*.tools.test.ts`: cloud-init, shellcheck, nginx,
 * PHP, gpg, the payload scripts) run with `npm run test:tools` (jest.tools.config.js), which CI runs too.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  transform: { "^.+\\.tsx?$": ["@swc/jest", {}] },
  globalSetup: "<rootDir>/__tests__/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/global-teardown.ts",
  // Jest defaults to cores - 1 workers, i.e. one on a 2-core machine; synth-heavy files gain from both.
  maxWorkers: 2,
  testTimeout: 60000,
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "\\.tools\\.test\\.ts$"],
};
