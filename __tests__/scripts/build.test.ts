import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// Fixture lines are tsc's plain output (`--pretty false`) for these edits; build.tools.test.ts checks them against real tsc.
const { explainBuildFailure, removeOrphanedEnvironmentOutputs } = require("../../scripts/build.js");

const example = fs.readFileSync(path.join(__dirname, "..", "..", "config", "environments", "example.ts"), "utf8");
const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

/** A repository root holding only config/environments/demo.ts: example.ts with `edits` applied. */
function demo(edits: Array<[string, string]>): { root: string; text: string } {
  let text = example.replace("export const example", "export const demo");
  for (const [from, to] of edits) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "build-explain-"));
  roots.push(root);
  fs.mkdirSync(path.join(root, "config", "environments"), { recursive: true });
  fs.writeFileSync(path.join(root, "config", "environments", "demo.ts"), text);
  return { root, text };
}

/** tsc's diagnostic line for demo.ts at the first `needle`. */
function tscLine(text: string, needle: string, message: string): string {
  const before = text.slice(0, text.indexOf(needle)).split("\n");
  return `config/environments/demo.ts(${before.length},${before[before.length - 1].length + 1}): ${message}`;
}

/** The config check's report on demo.ts with one problem, as `npm run synth` prints it. */
const oneProblem = (line: string) =>
  `Invalid config for environment 'demo' (1 problem):\n  - ${line}\nFix config/environments/demo.ts; nothing was synthesized.\n`;

test("size: 'huge' reads as the config check reports it: field, value received, the allowed values", () => {
  const { root, text } = demo([['size: "small"', 'size: "huge"']]);
  const tsc = tscLine(text, "size:", `error TS2322: Type '"huge"' is not assignable to type '"small" | "medium" | "large" | undefined'.`);
  expect(explainBuildFailure(`${tsc}\n`, { root })).toEqual({
    stdout: "",
    stderr: oneProblem('size: must be one of "small", "medium", "large" (received: "huge")'),
  });
});

test("a misspelt top-level key names the key, the missing field and the fix, without tsc's type dump", () => {
  const { root, text } = demo([["  regions: {", "  regons: {"]]);
  const tsc = tscLine(
    text,
    "regons:",
    "error TS2561: Object literal may only specify known properties, but 'regons' does not exist in type '{ org: string; ... }'. Did you mean to write 'regions'?",
  );
  const { stdout, stderr } = explainBuildFailure(`${tsc}\n`, { root });
  expect(stdout).toBe("");
  expect(stderr).toMatch(/^Invalid config for environment 'demo' \(2 problems\):\n/);
  expect(stderr).toContain("  - regions: is required: add it (see docs/config-reference.md) (received: (missing))\n");
  expect(stderr).toContain(
    "  - (root): has unknown field(s) 'regons': fix the spelling ('regons' -> 'regions') or remove them (see docs/config-reference.md) (received: {",
  );
  expect(stderr).not.toContain("TS2561");
});

test("frontends.maxInstances: '4' names the nested field, the type and the value", () => {
  const { root, text } = demo([["secondaryMinInstances: 3 }", 'secondaryMinInstances: 3, maxInstances: "4" }']]);
  const tsc = tscLine(text, "maxInstances:", "error TS2322: Type 'string' is not assignable to type 'number'.");
  expect(explainBuildFailure(`${tsc}\n`, { root })).toEqual({
    stdout: "",
    stderr: oneProblem('frontends.maxInstances: must be a number, not string: fix its type (see docs/config-reference.md) (received: "4")'),
  });
});

test("a pure typing mistake the config check cannot see falls back to tsc's lines, after a sentence naming the file", () => {
  const { root, text } = demo([[": BlueprintConfigInput =", ": BlueprintConfigInpt ="]]);
  const tsc = [
    "config/environments/demo.ts(1,1): error TS6133: 'BlueprintConfigInput' is declared but its value is never read.",
    tscLine(text, "BlueprintConfigInpt", "error TS2552: Cannot find name 'BlueprintConfigInpt'. Did you mean 'BlueprintConfigInput'?"),
  ];
  expect(explainBuildFailure(`${tsc.join("\n")}\n`, { root })).toEqual({
    stdout: "",
    stderr: `config/environments/demo.ts passes the config check but does not compile; TypeScript reports:\n${tsc.join("\n")}\n`,
  });
});

test("nothing is lost: tsc's lines the check does not explain follow its report, other files pass through unchanged", () => {
  const { root, text } = demo([
    ['size: "small"', 'size: "huge"'],
    ['"cost-center": "analytics"', '"cost-center": "analytics" as unknown as number'],
    ["import { BlueprintConfigInput }", "import { BlueprintConfigInput, Nope }"],
  ]);
  const unexplained = [
    "config/environments/demo.ts(1,32): error TS2305: Module '\"../schema\"' has no exported member 'Nope'.",
    tscLine(text, '"cost-center"', "error TS2322: Type 'number' is not assignable to type 'string'."),
  ];
  const other = "stacks/x.ts(3,7): error TS2322: Type '{ a: number; }' is not assignable to type 'B'.\n  Object literal may only specify known properties.";
  const global = "error TS5023: Unknown compiler option 'foo'.";
  const tsc = [global, unexplained[0], tscLine(text, "size:", "error TS2322: Type '\"huge\"' is not assignable to type 'Size'."), other, unexplained[1]];
  const { stdout, stderr } = explainBuildFailure(`${tsc.join("\n")}\n`, { root });
  expect(stdout).toBe(`${global}\n${other}\n`);
  expect(stderr).toMatch(/^Invalid config for environment 'demo' \(1 problem\):\n {2}- size: .*\(received: "huge"\)\n/);
  expect(stderr).toContain(`nothing was synthesized.\nTypeScript also reports, in config/environments/demo.ts:\n${unexplained.join("\n")}\n`);
  expect(stderr).not.toContain("Size");
});

test("a missing field: tsc names the object lacking it, the check names the field", () => {
  const { root, text } = demo([['    tenantId: "00000000-0000-0000-0000-000000000000",\n', ""]]);
  const tsc = tscLine(text, "azure:", "error TS2741: Property 'tenantId' is missing in type '{ subscriptionId: string; }' but required in type '{ ... }'.");
  expect(explainBuildFailure(`${tsc}\n`, { root }).stderr).toBe(
    oneProblem("azure.tenantId: is required: add it (see docs/config-reference.md) (received: (missing))"),
  );
});

test("a file that cannot be loaded falls back to tsc's lines with the reason", () => {
  const { root } = demo([["export const demo", "export const spare = { a: 1 };\nexport const demo"]]);
  // A message chain: tsc indents the lines after the first.
  const tsc = "config/environments/demo.ts(9,1): error TS2322: Type 'x' is not assignable to type 'y'.\n  Types of property 'a' are incompatible.";
  expect(explainBuildFailure(`${tsc}\n`, { root }).stderr).toBe(
    "config/environments/demo.ts could not be loaded for the config check (config/environments/demo.ts must export exactly one environment config object (found 2); " +
      `see config/environments/example.ts); TypeScript reports:\n${tsc}\n`,
  );
});

test("a deleted environment file's compiled output is removed before tsc runs; the others stay", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "build-orphans-"));
  fs.mkdirSync(path.join(root, "config", "environments"), { recursive: true });
  fs.mkdirSync(path.join(root, "dist", "config", "environments"), { recursive: true });
  fs.writeFileSync(path.join(root, "config", "environments", "prod.ts"), "");
  for (const f of ["prod.js", "prod.d.ts", "old.js", "old.d.ts", "old.js.map", "README.txt"])
    fs.writeFileSync(path.join(root, "dist", "config", "environments", f), "");
  expect(removeOrphanedEnvironmentOutputs(root).sort()).toEqual(["old.d.ts", "old.js", "old.js.map"]);
  expect(fs.readdirSync(path.join(root, "dist", "config", "environments")).sort()).toEqual(["README.txt", "prod.d.ts", "prod.js"]);
});
