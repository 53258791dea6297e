/**
 * scripts/apply-saved-plan.sh, run with a fake `terraform` on PATH: it applies
 * exactly the saved plan file, and a stack without one (first deployment) stops
 * that stack and every later one in the run.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT, run } from "./support";

const script = path.join(REPO_ROOT, "scripts", "apply-saved-plan.sh");
let work: string;
let env: NodeJS.ProcessEnv;
const calls = () => (fs.existsSync(path.join(work, "calls")) ? fs.readFileSync(path.join(work, "calls"), "utf8").trim().split("\n") : []);

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "apply-saved-plan-"));
  fs.mkdirSync(path.join(work, "bin"));
  fs.mkdirSync(path.join(work, "plans"));
  fs.writeFileSync(path.join(work, "bin", "terraform"), `#!/bin/sh\necho "$*" >>"${work}/calls"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(work, "github_env"), "");
  env = { ...process.env, PATH: `${path.join(work, "bin")}:${process.env.PATH}`, GITHUB_ENV: path.join(work, "github_env") };
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

test("applies the saved plan file of the stack, with no other approval and no re-plan", () => {
  fs.writeFileSync(path.join(work, "plans", "core.tfplan"), "plan");
  const r = run("bash", [script, "core"], { cwd: work, env });
  expect(r.code).toBe(0);
  expect(calls()).toEqual([
    "-chdir=cdktf.out/stacks/core init -input=false -no-color",
    `-chdir=cdktf.out/stacks/core apply -input=false -no-color ${path.join(work, "plans", "core.tfplan")}`,
  ]);
});

test("a stack without a saved plan is not applied, and stops the stacks after it", () => {
  const r = run("bash", [script, "data"], { cwd: work, env });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/data: no approved plan in this run/);
  expect(calls()).toEqual([]);
  expect(fs.readFileSync(path.join(work, "github_env"), "utf8")).toBe("DEPLOY_STOPPED=true\n");
  fs.writeFileSync(path.join(work, "plans", "edge.tfplan"), "plan");
  const next = run("bash", [script, "edge"], { cwd: work, env: { ...env, DEPLOY_STOPPED: "true" } });
  expect(next.stdout).toMatch(/edge: not applied/);
  expect(calls()).toEqual([]);
});
