import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { ENVIRONMENTS, parseConfig } from "../../config";
import { fixtureEnvironment } from "../fixture-environment";
import { synthesizeEnvironment } from "../../stacks/synthesize";

/** Runs main.ts in a fresh module registry with the given environment; returns the exit code (or undefined). */
function runMain(env: Record<string, string>, patchEnvironments: (envs: Record<string, any>) => void = () => undefined) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const errors: string[] = [];
  const exit = jest.spyOn(process, "exit").mockImplementation(((code?: number) => {
    throw new Error(`exit ${code}`);
  }) as never);
  const error = jest.spyOn(console, "error").mockImplementation((m: unknown) => void errors.push(String(m)));
  let code: number | undefined;
  try {
    jest.isolateModules(() => {
      patchEnvironments(require("../../config").ENVIRONMENTS);
      require("../../main");
    });
  } catch (e) {
    code = Number(/exit (\d+)/.exec(String(e))?.[1]);
  } finally {
    exit.mockRestore();
    error.mockRestore();
    process.env = saved;
  }
  return { code, errors: errors.join("\n") };
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, e);
    if (fs.statSync(p).isFile()) out[e] = fs.readFileSync(p, "utf8");
  }
  return out;
}

test("an invalid config exits 1, lists every problem, and leaves the previous output untouched", () => {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "main-")), "cdktf.out");
  fs.mkdirSync(path.join(outdir, "stacks", "core"), { recursive: true });
  fs.writeFileSync(path.join(outdir, "stacks", "core", "cdk.tf.json"), '{"previous": true}');
  const before = tree(outdir);
  const { code, errors } = runMain({ MATOMO_ENV: "broken", CDKTF_OUTDIR: outdir }, (envs) => {
    envs.broken = { ...fixtureEnvironment, hostname: "x.example.org", matomo: { ...fixtureEnvironment.matomo, version: "latest" } };
  });
  expect(code).toBe(1);
  expect(errors).toMatch(/Invalid config for environment 'broken' \(2 problems\)/);
  expect(errors).toMatch(/- hostname: must be inside the Cloudflare zone/);
  expect(errors).toMatch(/- matomo\.version: .*\(received: "latest"\)/);
  expect(tree(outdir)).toEqual(before);
  expect(fs.existsSync(`${outdir}.staging`)).toBe(false);
});

test("an unknown environment exits 1 and names the known ones", () => {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "main-")), "cdktf.out");
  const { code, errors } = runMain({ MATOMO_ENV: "staging", CDKTF_OUTDIR: outdir });
  expect(code).toBe(1);
  expect(errors).toContain(`Known: ${Object.keys(ENVIRONMENTS).join(", ")}`);
  expect(Object.keys(ENVIRONMENTS)).toEqual(expect.arrayContaining(["example", "prod"]));
  expect(fs.existsSync(outdir)).toBe(false);
});

test("a valid environment synthesizes every stack, also into a CDKTF_OUTDIR whose parent folders do not exist yet", () => {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "main-")), "ci", "artifacts", "cdktf.out");
  const { code } = runMain({ MATOMO_ENV: "remote", CDKTF_OUTDIR: outdir }, (envs) => {
    envs.remote = {
      ...fixtureEnvironment,
      environment: "rmt",
      keyVault: { allowedCidrs: ["203.0.113.0/28"] },
      backend: { type: "azurerm", resourceGroupName: "rg-state", storageAccountName: "rmtstate", containerName: "tfstate" },
    };
  });
  expect(code).toBeUndefined();
  expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["app-neu", "app-weu", "core", "data", "edge"]);
  const core = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "core", "cdk.tf.json"), "utf8"));
  // Remote state in Azure Storage, one key per environment and stack
  expect(core.terraform.backend.azurerm).toMatchObject({ key: "rmt/core.tfstate", container_name: "tfstate", use_azuread_auth: true });
});

describe("a changed set of stacks swaps in cleanly", () => {
  const config = parseConfig("fixture", fixtureEnvironment);
  const stacksNamed =
    (...names: string[]) =>
    (app: App) =>
      names.forEach((n) => new TerraformStack(app, n));
  const run = (cli: boolean) => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "swap-")), "cdktf.out");
    synthesizeEnvironment(config, out, stacksNamed("core", "app-old"), { cliRemovesOrphanedStacks: cli });
    synthesizeEnvironment(config, out, stacksNamed("core", "app-new"), { cliRemovesOrphanedStacks: cli });
    const stacks = fs.readdirSync(path.join(out, "stacks")).sort();
    const manifest = Object.keys(JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8")).stacks).sort();
    return { stacks, manifest, oldIsEmpty: stacks.includes("app-old") && fs.readdirSync(path.join(out, "stacks", "app-old")).length === 0 };
  };
  test("under the cdktf CLI, a dropped stack's folder is left empty for the CLI to delete (it fails if the folder is gone)", () => {
    expect(run(true)).toEqual({ stacks: ["app-new", "app-old", "core"], manifest: ["app-new", "core"], oldIsEmpty: true });
  });
  test("run directly, only the new stacks remain", () => {
    expect(run(false)).toEqual({ stacks: ["app-new", "core"], manifest: ["app-new", "core"], oldIsEmpty: false });
  });
});
