import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadWorkflows, run } from "./support";

// Runs the real "Plan every stack" step of terraform-plan.yml (bash, node) with stand-ins for az and terraform.
const plan = loadWorkflows().find((w) => w.file === "terraform-plan.yml")!.doc.jobs.plan;

// The plan step itself, run with stand-ins for az and terraform: core and data applied, edge's state unreadable.
const runPlanStep = (blobAnswer: (name: string) => string) => {
  const step = plan.steps.find((st: any) => String(st.name).startsWith("Plan every stack"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-step-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.mkdirSync(path.join(dir, "cdktf.out"));
  const deps = { core: [], data: ["core"], edge: ["core"], "app-weu": ["core", "data", "edge"] };
  fs.writeFileSync(
    path.join(dir, "cdktf.out", "manifest.json"),
    JSON.stringify({ stacks: Object.fromEntries(Object.entries(deps).map(([k, d]) => [k, { dependencies: d }])) }),
  );
  const answers = ["core", "data", "edge"].map((st) => `*/${st}.tfstate) ${blobAnswer(st)} ;;`).join("\n");
  fs.writeFileSync(path.join(bin, "az"), `#!/bin/bash\nfor a; do case "$a" in\n${answers}\nesac; done\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, "terraform"), '#!/bin/bash\ncase "$*" in *" plan "*) echo "No changes." ;; esac\nexit 0\n', { mode: 0o755 });
  const out = path.join(dir, "out");
  const r = run("bash", ["-eo", "pipefail", "-c", step.run], {
    cwd: dir,
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      MATOMO_ENV: "prod",
      GITHUB_SHA: "0123456789abcdef",
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: path.join(dir, "summary"),
      BACKEND: "azurerm",
      STACKS: "core data edge app-weu",
      STATE_ACCOUNT: "ctsotfstateprod",
      STATE_CONTAINER: "tfstate",
      REPLACE_STACK: "",
      REPLACE_ADDRESS: "",
    },
  });
  return { code: r.code, summary: fs.readFileSync(path.join(dir, "summary"), "utf8") };
};

test("a stack whose upstream state does not exist yet is skipped; one whose upstream state cannot be read fails the plan", () => {
  const firstDeploy = runPlanStep((st) => (st === "core" ? "echo true" : "echo false"));
  expect(firstDeploy.code).toBe(0);
  expect(firstDeploy.summary).toMatch(/\| `app-weu` \| not planned: no state yet for data edge \(apply those first\)/);
  const unreadable = runPlanStep((st) => (st === "edge" ? "echo 'ERROR: AuthorizationPermissionMismatch' >&2; exit 1" : "echo true"));
  expect(unreadable.code).toBe(1);
  expect(unreadable.summary).toMatch(
    /\| `app-weu` \| \*\*failed\*\*: cannot read the state of edge \(the plan identity needs Storage Blob Data Reader on ctsotfstateprod\)/,
  );
  expect(unreadable.summary).toMatch(/\| `data` \| No changes\./);
});
