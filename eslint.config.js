// ESLint (typescript-eslint, no type information: fast enough for every `npm test`) plus the project's own rules.
// scripts/lint.js keeps the checks that are not about TypeScript syntax (exact pins, key material in any file).
"use strict";
const js = require("@eslint/js");
const tseslint = require("typescript-eslint");

const PRODUCTION = ["main.ts", "config/**/*.ts", "stacks/**/*.ts", "modules/**/*.ts", "policies/**/*.ts", "verify/**/*.ts", "preflight/**/*.ts"];

module.exports = tseslint.config(
  { ignores: ["node_modules/", "dist/", "cdktf.out/", "cdktf.out.*/", "terraform-state/", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Environment files and preflight checks are discovered and loaded by path.
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    files: PRODUCTION,
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@cdktf/provider-[a-z]+$",
              message: "import the class by deep path, e.g. '@cdktf/provider-azurerm/lib/resource-group' (the package root loads every resource: 5-10x slower)",
            },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "read the environment only in an entry point (main.ts, preflight/cli.ts) and pass plain props down",
        },
        {
          selector: "LogicalExpression[operator='||'][left.type='MemberExpression'][left.object.name='props']",
          message: "use ?? for defaults: || turns an explicit false/0/'' into the default",
        },
      ],
    },
  },
  { files: ["main.ts", "preflight/cli.ts"], rules: { "no-restricted-syntax": "off" } },
  { files: ["stacks/**/*.ts", "modules/**/*.ts", "policies/**/*.ts"], rules: { "no-console": ["error"] } },
  {
    files: ["**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        process: "readonly",
        __dirname: "readonly",
        __filename: "readonly",
        console: "readonly",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        URL: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["__tests__/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-non-null-assertion": "off" },
  },
);
