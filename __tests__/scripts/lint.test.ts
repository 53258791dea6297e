const { lintSources, lintPackageJson, RULES } = require("../../scripts/lint.js");

const cases: Array<[string, string, string, string]> = [
  // rule, file, violating line, clean line
  ["deep-imports", "stacks/x.ts", 'import { Lb } from "@cdktf/provider-azurerm";', 'import { Lb } from "@cdktf/provider-azurerm/lib/lb";'],
  ["env-only-in-main", "stacks/x.ts", "const e = process.env.MATOMO_ENV;", "const e = props.environment;"],
  ["no-console-in-constructs", "modules/x.ts", 'console.log("creating");', 'Annotations.of(this).addWarning("x");'],
  ["no-or-defaults", "modules/x.ts", "const v = props.enabled || true;", "const v = props.enabled ?? true;"],
  // Assembled so this file itself holds no key header.
  ["no-key-material", "config/x.ts", `const k = "-----BEGIN ${"RSA"} PRIVATE KEY-----";`, 'const k = "ssh-ed25519 AAAA";'],
];

test.each(cases)("%s flags the violation and passes the fix", (rule, file, bad, good) => {
  expect(lintSources({ [file]: bad }).map((p: any) => p.rule)).toEqual([rule]);
  expect(lintSources({ [file]: good })).toEqual([]);
});

test("every rule has a case", () => {
  expect(RULES.map((r: any) => r.id).sort()).toEqual(cases.map((c) => c[0]).sort());
});

test("main.ts may read the environment", () => {
  expect(lintSources({ "main.ts": "const e = process.env.MATOMO_ENV;" })).toEqual([]);
});

test("the preflight entry point may read the environment, its checks may not", () => {
  expect(lintSources({ "preflight/cli.ts": "main(argv, process.env, io);" })).toEqual([]);
  expect(lintSources({ "preflight/checks/x.ts": "const t = process.env.CLOUDFLARE_API_TOKEN;" }).map((p: any) => p.rule)).toEqual(["env-only-in-main"]);
});

test("dependency ranges are refused, exact pins pass", () => {
  expect(lintPackageJson({ dependencies: { cdktf: "^0.21.0" } })).toEqual([expect.objectContaining({ rule: "exact-pins" })]);
  expect(lintPackageJson({ dependencies: { cdktf: "0.21.0" }, devDependencies: { jest: "30.5.2" } })).toEqual([]);
});
