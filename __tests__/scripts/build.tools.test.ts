import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// `npm run build` (scripts/build.js) with real tsc, on a copy of the config and what it imports: the mistakes
// build.test.ts feeds as tsc lines, here as tsc really reports them.
const root = path.resolve(__dirname, "..", "..");
const example = fs.readFileSync(path.join(root, "config", "environments", "example.ts"), "utf8");

const copy = fs.mkdtempSync(path.join(os.tmpdir(), "build-script-"));
afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

function copyRepo(): void {
  for (const part of ["tsconfig.json", "scripts/build.js", "config", "modules/common", "modules/cloud-init"]) {
    fs.cpSync(path.join(root, part), path.join(copy, part), { recursive: true });
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(copy, "node_modules"), "dir");
}

function environment(name: string, edits: Array<[string, string]>): string {
  let text = example.replace("export const example", `export const ${name.replace(/-/g, "")}`);
  for (const [from, to] of edits) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  return text;
}

function build(cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(cwd, "scripts", "build.js")], { cwd, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("config mistakes tsc refuses read as the config check's report; other files' errors pass through; fixed, the build is silent", () => {
  copyRepo();
  const envs = path.join(copy, "config", "environments");
  const written = {
    [path.join(envs, "huge.ts")]: environment("huge", [['size: "small"', 'size: "huge"']]),
    [path.join(envs, "misspelt.ts")]: environment("misspelt", [["  regions: {", "  regons: {"]]),
    [path.join(envs, "max.ts")]: environment("max", [["secondaryMinInstances: 3 }", 'secondaryMinInstances: 3, maxInstances: "4" }']]),
    [path.join(envs, "missing.ts")]: environment("missing", [['    tenantId: "00000000-0000-0000-0000-000000000000",\n', ""]]),
    [path.join(envs, "mixed.ts")]: environment("mixed", [
      ['size: "small"', 'size: "huge"'],
      ['"cost-center": "analytics"', '"cost-center": "analytics" as unknown as number'],
    ]),
    [path.join(envs, "typo.ts")]: environment("typo", [[": BlueprintConfigInput =", ": BlueprintConfigInpt ="]]),
    [path.join(copy, "config", "broken.ts")]: 'export const x: number = "a";\n',
  };
  for (const [file, text] of Object.entries(written)) fs.writeFileSync(file, text);

  const failed = build(copy);
  expect(failed.status).toBe(1);
  expect(failed.stdout).toBe("config/broken.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.\n");
  expect(failed.stderr).toContain(
    "Invalid config for environment 'huge' (1 problem):\n" +
      '  - size: must be one of "small", "medium", "large" (received: "huge")\n' +
      "Fix config/environments/huge.ts; nothing was synthesized.\n",
  );
  expect(failed.stderr).toContain('  - frontends.maxInstances: must be a number, not string: fix its type (see docs/config-reference.md) (received: "4")\n');
  expect(failed.stderr).toContain("  - (root): has unknown field(s) 'regons': fix the spelling ('regons' -> 'regions') or remove them");
  expect(failed.stderr).toMatch(
    /config\/environments\/typo\.ts passes the config check but does not compile; TypeScript reports:\n(config\/environments\/typo\.ts\(\d+,\d+\): error TS\d+: .*\n)*config\/environments\/typo\.ts\(7,\d+\): error TS2552: Cannot find name 'BlueprintConfigInpt'/,
  );
  expect(failed.stderr).toContain("  - azure.tenantId: is required: add it");
  // Every tsc line about the other environment files is explained by the config check; the cast in mixed.ts is not.
  expect(failed.stderr).not.toMatch(/^config\/environments\/(huge|misspelt|max|missing)\.ts\(/m);
  expect(failed.stderr).toMatch(
    /Fix config\/environments\/mixed\.ts; nothing was synthesized\.\nTypeScript also reports, in config\/environments\/mixed\.ts:\nconfig\/environments\/mixed\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'string'\.\n/,
  );
  expect(failed.stderr.match(/^config\/environments\/mixed\.ts\(/gm)).toHaveLength(1);
  for (const file of Object.keys(written)) fs.rmSync(file);
  expect(build(copy)).toEqual({ status: 0, stdout: "", stderr: "" });
});
