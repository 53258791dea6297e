/** Transpile-only tests (swc); type-checking is `npm run typecheck`. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.tsx?$": ["@swc/jest", {}] },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  globalSetup: "<rootDir>/__tests__/global-setup.ts",
  // Jest defaults to cores - 1 workers, i.e. one on a 2-core machine; synth-heavy files gain from both.
  maxWorkers: 2,
  testTimeout: 60000,
};
