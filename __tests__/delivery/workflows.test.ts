/**
 * The GitHub Actions workflows in .github/workflows: they parse, ask for the
 * least permissions, call only scripts and paths that exist, pin every
 * third-party action to a commit, deploy in stack order behind an approval,
 * one at a time, with OIDC and no stored Azure secret. Their shell steps pass
 * `bash -n` and shellcheck.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ENVIRONMENTS } from "../../config";
import { REPO_ROOT, jobsOf, loadWorkflows, tool, run, stepsOf, triggersOf, Workflow } from "./support";

const workflows = loadWorkflows();
const byFile = (file: string): Workflow => {
  const w = workflows.find((x) => x.file === file);
  if (!w) throw new Error(`.github/workflows/${file} is missing`);
  return w;
};
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));

/** End of life of each Node.js LTS line (https://github.com/nodejs/Release#release-schedule). */
const NODE_LTS_END_OF_LIFE: Readonly<Record<number, string>> = { 20: "2026-04-30", 22: "2027-04-30", 24: "2028-04-30" };
/** The Node.js line the workflows run. */
const SUPPORTED_NODE_LTS = 24;
const allSteps = workflows.flatMap(stepsOf);
const runSteps = allSteps.filter((s) => typeof s.step.run === "string");
const usesSteps = allSteps.filter((s) => typeof s.step.uses === "string");
const where = (s: { workflow: string; job: string; index: number }) => `${s.workflow} jobs.${s.job}.steps[${s.index}]`;

/** Jobs that call a reusable workflow (`jobs.<id>.uses`). */
const callerJobs = workflows.flatMap((w) =>
  jobsOf(w)
    .filter(([, j]) => typeof j.uses === "string")
    .map(([id, j]) => ({ w, id, j })),
);
const isReusable = (w: Workflow) => triggersOf(w) !== undefined && typeof triggersOf(w) === "object" && "workflow_call" in triggersOf(w);

test("the three workflows exist", () => {
  expect(workflows.map((w) => w.file)).toEqual(expect.arrayContaining(["deploy.yml", "pull-request.yml", "terraform-plan.yml"]));
});

describe.each(workflows.map((w) => [w.file, w] as const))("%s", (_file, w) => {
  test("parses as YAML without duplicate keys, with name, triggers and jobs", () => {
    expect(w.errors).toEqual([]);
    expect(typeof w.doc.name).toBe("string");
    expect(triggersOf(w)).toBeDefined();
    expect(Object.keys(w.doc.jobs ?? {}).length).toBeGreaterThan(0);
  });

  test("sets top-level permissions: read-only, except id-token for a reusable plan", () => {
    const p = w.doc.permissions;
    expect(p).toBeDefined();
    expect(typeof p).toBe("object"); // never read-all/write-all
    const allowedWrite = isReusable(w) ? ["id-token"] : [];
    for (const [scope, level] of Object.entries<string>(p)) {
      expect(["read", "write", "none"]).toContain(level);
      if (level === "write") expect(allowedWrite).toContain(scope);
    }
    if (p.contents !== undefined) expect(p.contents).toBe("read");
  });

  test("job permissions are minimal: write only for id-token (Azure login) and pull-requests (the comment)", () => {
    for (const [id, j] of jobsOf(w)) {
      for (const [scope, level] of Object.entries<string>(j.permissions ?? {})) {
        if (level !== "write") continue;
        expect(`${id}: ${scope}`).toMatch(/: (id-token|pull-requests)$/);
        if (scope === "pull-requests") {
          // The job that may comment holds no cloud credentials.
          expect(j.permissions["id-token"]).toBeUndefined();
          expect(JSON.stringify(j)).not.toMatch(/azure\/login|ARM_|CLOUDFLARE_API_TOKEN/);
        }
      }
      expect(j.permissions?.contents ?? "read").not.toBe("write");
    }
  });

  test("every third-party action is pinned to a full commit SHA with its version in a comment", () => {
    const lines = w.text.split("\n");
    for (const line of lines) {
      const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
      if (!m || m[1].startsWith("./")) continue;
      expect(m[1]).toMatch(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[0-9a-f]{40}$/);
      expect(m[2]).toMatch(/#\s*v\d+\.\d+\.\d+\s*$/);
    }
  });

  test("no stored Azure credential or password: OIDC only", () => {
    expect(w.text).not.toMatch(/client-secret|client_secret|clientSecret|ARM_CLIENT_SECRET|AZURE_CLIENT_SECRET|AZURE_CREDENTIALS|^\s*creds:/im);
    expect(w.text).not.toMatch(/password\s*[:=]/i);
    expect(w.text).not.toMatch(/ARM_USE_CLI|ARM_CLIENT_CERTIFICATE/);
  });

  test("secrets used are only the Cloudflare token (plus GitHub's own token)", () => {
    const used = new Set([...w.text.matchAll(/(?<![\w-])secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]));
    for (const name of used) expect(["CLOUDFLARE_API_TOKEN", "GITHUB_TOKEN"]).toContain(name);
  });

  test("every repository path it mentions exists", () => {
    const pattern =
      /(?:^|[\s"'`=(])((?:\.github|\.ci|scripts|config|docs|stacks|modules|policies|__tests__)\/[A-Za-z0-9_./-]*[A-Za-z0-9_-]|\.checkov\.yaml|package(?:-lock)?\.json|cdktf\.json|tsconfig\.json)/gm;
    const missing = [...w.text.matchAll(pattern)].map((m) => m[1]).filter((p) => !fs.existsSync(path.join(REPO_ROOT, p)));
    expect(missing).toEqual([]);
  });
});

test("every `npm run <script>` the workflows call exists in package.json", () => {
  const called = runSteps.flatMap((s) => [...String(s.step.run).matchAll(/npm run ([A-Za-z0-9:_-]+)/g)].map((m) => m[1]));
  expect(called.length).toBeGreaterThan(0);
  for (const script of called) expect(Object.keys(pkg.scripts)).toContain(script);
  if (runSteps.some((s) => /\bnpm test\b/.test(s.step.run))) expect(pkg.scripts.test).toBeDefined();
});

test("actions are used at one commit each across the workflows", () => {
  const pins = new Map<string, Set<string>>();
  for (const s of usesSteps) {
    const [action, ref] = String(s.step.uses).split("@");
    if (action.startsWith("./")) continue;
    pins.set(action, (pins.get(action) ?? new Set()).add(ref));
  }
  for (const [action, refs] of pins) expect(`${action}@${[...refs].join(",")}`).toBe(`${action}@${[...refs][0]}`);
});

test("local reusable workflows exist, are workflow_call, and get the inputs, secrets and permissions they declare", () => {
  expect(callerJobs.length).toBeGreaterThan(0);
  const problems: string[] = [];
  for (const { w, id, j } of callerJobs) {
    const at = `${w.file} jobs.${id}`;
    if (!/^\.\/\.github\/workflows\/[\w.-]+\.ya?ml$/.test(j.uses)) problems.push(`${at}: uses ${j.uses} is not a local workflow`);
    const called = workflows.find((x) => x.file === path.basename(j.uses));
    const call = called && triggersOf(called)?.workflow_call;
    if (!called || !call) {
      problems.push(`${at}: ${j.uses} is missing or not on workflow_call`);
      continue;
    }
    const inputs = call.inputs ?? {};
    for (const input of Object.keys(j.with ?? {})) if (!(input in inputs)) problems.push(`${at}: passes undeclared input '${input}'`);
    for (const [name, spec] of Object.entries<any>(inputs))
      if (spec.required && !(name in (j.with ?? {}))) problems.push(`${at}: misses required input '${name}'`);
    // Pass only what the called workflow declares, never all secrets.
    if (j.secrets === "inherit") problems.push(`${at}: secrets: inherit`);
    for (const secret of Object.keys(j.secrets ?? {})) if (!(secret in (call.secrets ?? {}))) problems.push(`${at}: passes undeclared secret '${secret}'`);
    // A called workflow cannot raise permissions: the caller must grant what it asks for.
    for (const [scope, level] of Object.entries<string>(called.doc.permissions ?? {})) {
      if (level === "write" && j.permissions?.[scope] !== "write") problems.push(`${at}: must grant ${scope}: write to ${called.file}`);
    }
  }
  expect(problems).toEqual([]);
});

test("the workflows' Node.js is a supported LTS line, inside package.json engines", () => {
  const eol = NODE_LTS_END_OF_LIFE[SUPPORTED_NODE_LTS];
  expect(eol).toBeDefined();
  // Fails once the line reaches end of life: move the workflows to the next LTS (and extend the table).
  expect({ node: SUPPORTED_NODE_LTS, pastEndOfLife: new Date(`${eol}T23:59:59Z`).getTime() < Date.now() }).toEqual({
    node: SUPPORTED_NODE_LTS,
    pastEndOfLife: false,
  });
  const [, lo, hi] = /^>=(\d+)(?:\.\d+)* <(\d+)$/.exec(pkg.engines.node) ?? [];
  expect(Number(lo)).toBeLessThanOrEqual(SUPPORTED_NODE_LTS);
  expect(Number(hi)).toBeGreaterThan(SUPPORTED_NODE_LTS);
});

test("Node LTS with the npm cache, and exact tool pins (Terraform, Checkov)", () => {
  const nodes = usesSteps.filter((s) => String(s.step.uses).startsWith("actions/setup-node@"));
  expect(nodes.length).toBeGreaterThan(0);
  for (const s of nodes) expect([String(s.step.with?.["node-version"]), s.step.with?.cache]).toEqual([String(SUPPORTED_NODE_LTS), "npm"]);
  const tf = new Set(workflows.map((w) => w.doc.env?.TERRAFORM_VERSION).filter(Boolean));
  expect(tf.size).toBe(1);
  expect([...tf][0]).toMatch(/^\d+\.\d+\.\d+$/);
  for (const s of usesSteps.filter((x) => String(x.step.uses).startsWith("hashicorp/setup-terraform@"))) {
    expect(s.step.with?.terraform_version).toBe("${{ env.TERRAFORM_VERSION }}");
    expect(s.step.with?.terraform_wrapper).toBe(false);
  }
  expect(byFile("pull-request.yml").doc.env.CHECKOV_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
});

test("no `${{ }}` expression is pasted into a shell script (script injection): values go through env", () => {
  const offenders = runSteps.filter((s) => String(s.step.run).includes("${{")).map(where);
  expect(offenders).toEqual([]);
});

test("every workflow that runs cdktf disables its checkpoint call", () => {
  for (const w of workflows.filter((x) => /cdktf|npm run synth/.test(x.text))) expect(`${w.file}: ${w.doc.env?.CHECKPOINT_DISABLE}`).toBe(`${w.file}: 1`);
});

describe("pull-request.yml", () => {
  const w = byFile("pull-request.yml");
  const jobs = w.doc.jobs;

  test("runs on pull requests, read-only at the top", () => {
    expect(triggersOf(w)).toHaveProperty("pull_request");
    expect(w.doc.permissions).toEqual({ contents: "read" });
  });

  test("tests with the real tools installed first, as .ci/run does", () => {
    const steps: any[] = jobs.test.steps;
    const apt = steps.findIndex((s) => /apt-get install/.test(s.run ?? ""));
    const npmTest = steps.findIndex((s) => /^npm test\b/.test(s.run ?? ""));
    expect(apt).toBeGreaterThanOrEqual(0);
    expect(npmTest).toBeGreaterThan(apt);
    const ciRun = fs.readFileSync(path.join(REPO_ROOT, ".ci", "run"), "utf8");
    // Every install line of .ci/run up to the rehearsal's (the pull-request workflow does not rehearse).
    const packages = (text: string) =>
      [...text.matchAll(/apt-get install[^\n]*?((?:\s+[a-z][a-z0-9.+-]+)+)\s*(?:>|$)/gm)].flatMap((m) =>
        m[1]
          .trim()
          .split(/\s+/)
          .filter((p) => !p.startsWith("-")),
      );
    const fromCi = packages(ciRun.slice(0, ciRun.indexOf("# npm run rehearse")));
    expect(fromCi).toEqual(expect.arrayContaining(["shellcheck", "php-sqlite3", "rsync"]));
    expect(fromCi.length).toBeGreaterThan(0);
    expect(packages(steps[apt].run)).toEqual(expect.arrayContaining(fromCi));
  });

  test("synthesizes every environment in config/environments, listed from the folder (no list to keep up to date)", () => {
    expect(jobs.synth.strategy.matrix.environment).toBe("${{ fromJSON(needs.environments.outputs.list) }}");
    expect(jobs.synth.needs).toBe("environments");
    expect(jobs.synth.env.MATOMO_ENV).toBe("${{ matrix.environment }}");
    // Run the listing step here: it must name exactly the environments config/index.ts discovers.
    const list = jobs.environments.steps.find((s: { id?: string }) => s.id === "list");
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gh-out-")), "output");
    const r = run("bash", ["-e", "-c", list.run], { cwd: REPO_ROOT, env: { ...process.env, GITHUB_OUTPUT: out } });
    expect(r.code).toBe(0);
    const listed = JSON.parse(/^list=(.*)$/m.exec(fs.readFileSync(out, "utf8"))![1]);
    expect(listed).toEqual(Object.keys(ENVIRONMENTS).sort());
  });

  test("validates every synthesized stack with terraform and scans it with Checkov", () => {
    const scripts = jobs.synth.steps.map((s: any) => s.run ?? "").join("\n");
    expect(scripts).toMatch(/for dir in cdktf\.out\/stacks\/\*\/;/);
    expect(scripts).toMatch(/init -backend=false/);
    expect(scripts).toMatch(/terraform -chdir="\$\{dir\}" validate/);
    expect(scripts).toMatch(/checkov --config-file \.checkov\.yaml --directory cdktf\.out --framework terraform_json/);
  });

  test("plans the deployed environment (DEPLOY_ENVIRONMENT) for same-repository pull requests and posts the summary", () => {
    expect(jobs.plan.uses).toBe("./.github/workflows/terraform-plan.yml");
    expect(jobs.plan.with.environment).toBe("${{ vars.DEPLOY_ENVIRONMENT }}");
    expect(jobs.plan.if).toMatch(/head\.repo\.full_name == github\.repository && vars\.DEPLOY_ENVIRONMENT != ''/);
    expect(jobs.plan.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(jobs.comment.permissions).toEqual({ "pull-requests": "write" });
    expect(jobs.comment.steps.some((s: any) => String(s.uses).startsWith("actions/github-script@"))).toBe(true);
  });
});

describe("terraform-plan.yml", () => {
  const w = byFile("terraform-plan.yml");
  const plan = w.doc.jobs.plan;
  const script = plan.steps.map((s: any) => s.run ?? "").join("\n");

  test("plans every stack into a saved plan file, read-only: never takes the state lock", () => {
    expect(script).toMatch(/terraform -chdir="\$\{dir\}" plan -input=false -no-color \$\{args\} -out="\$\{PWD\}\/plans\/\$\{stack\}\.tfplan"/);
    expect(script).toMatch(/args="-lock=false"/);
    expect(script).toMatch(/GITHUB_SHA\}" >plans\/commit/);
    expect(script).toMatch(/GITHUB_STEP_SUMMARY/);
    expect(w.doc.jobs.plan.outputs.summary).toBeDefined();
  });

  test("uploads the plan files and the commit they were made at, kept one day (they hold state)", () => {
    const upload = plan.steps.find((s: any) => String(s.uses).startsWith("actions/upload-artifact@"));
    expect(upload.with.name).toBe("plans-${{ inputs.environment }}");
    expect(upload.with.path).toMatch(/plans\/\*\.tfplan\s+plans\/commit/);
    expect(upload.with["retention-days"]).toBe(1);
    expect(w.doc.on.workflow_call.outputs.artifact).toBeDefined();
  });

  test("only the deploy workflow asks for the plan files: a pull request never publishes them (they hold state)", () => {
    const upload = plan.steps.find((s: any) => String(s.uses).startsWith("actions/upload-artifact@"));
    expect(upload.if).toMatch(/^inputs\.save-plans && /);
    expect(w.doc.on.workflow_call.inputs["save-plans"]).toMatchObject({ type: "boolean", default: false });
    const callers = loadWorkflows().flatMap(({ file, doc }) =>
      Object.values<any>(doc.jobs ?? {})
        .filter((j) => j.uses === "./.github/workflows/terraform-plan.yml")
        .map((j) => [file, j.with?.["save-plans"] === true]),
    );
    expect(Object.fromEntries(callers)).toEqual({ "deploy.yml": true, "pull-request.yml": false });
  });

  test("logs in to Azure by OIDC and hands the Cloudflare token to the provider", () => {
    expect(plan.env.ARM_USE_OIDC).toBe("true");
    expect(plan.env.CLOUDFLARE_API_TOKEN).toBe("${{ secrets.CLOUDFLARE_API_TOKEN }}");
    const login = plan.steps.find((s: any) => String(s.uses).startsWith("azure/login@"));
    expect(Object.keys(login.with).sort()).toEqual(["client-id", "subscription-id", "tenant-id"]);
  });
});

describe("deploy.yml", () => {
  const w = byFile("deploy.yml");
  const deploy = w.doc.jobs.deploy;

  test("runs on push to main and on demand; the environment comes from the input or DEPLOY_ENVIRONMENT, never a built-in name", () => {
    const on = triggersOf(w);
    expect(on.push.branches).toEqual(["main"]);
    expect(on.workflow_dispatch.inputs.environment).toMatchObject({ type: "string", default: "" });
    expect(w.text).not.toMatch(/'prod'|\bprod\b(?!uction)/);
    const resolve = w.doc.jobs.target.steps.find((s: { id?: string }) => s.id === "resolve");
    expect(resolve.env.REQUESTED).toBe("${{ inputs.environment || vars.DEPLOY_ENVIRONMENT }}");
    // Run the resolution step here against config/environments/.
    const resolveWith = (requested: string) => {
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gh-out-")), "output");
      const r = run("bash", ["-e", "-c", resolve.run], { cwd: REPO_ROOT, env: { ...process.env, GITHUB_OUTPUT: out, REQUESTED: requested } });
      return { code: r.code, said: r.stdout + r.stderr, output: fs.existsSync(out) ? fs.readFileSync(out, "utf8") : "" };
    };
    const known = Object.keys(ENVIRONMENTS)[0];
    expect(resolveWith(known)).toMatchObject({ code: 0, output: `environment=${known}\n` });
    expect(resolveWith("")).toMatchObject({ code: 1, said: expect.stringMatching(/set the repository variable DEPLOY_ENVIRONMENT \(one of: /) });
    expect(resolveWith("staging")).toMatchObject({ code: 1, said: expect.stringMatching(/'staging' has no file config\/environments\/staging\.ts/) });
    expect(resolveWith("../x")).toMatchObject({ code: 1 });
  });

  test("one deployment per environment at a time, never cancelled halfway", () => {
    const c = w.doc.concurrency ?? deploy.concurrency;
    expect(c).toBeDefined();
    expect(c["cancel-in-progress"]).toBe(false);
    expect(c.group).toBe("deploy-${{ inputs.environment || vars.DEPLOY_ENVIRONMENT }}");
  });

  test("applies only behind the GitHub Environment approval gate, after the plan", () => {
    expect(deploy.environment).toBe("${{ needs.target.outputs.environment }}");
    expect(deploy.needs).toEqual(["target", "plan"]);
    // Nothing applies outside that job.
    for (const wf of workflows) {
      for (const [id, j] of jobsOf(wf)) {
        const text = (j.steps ?? []).map((s: any) => s.run ?? "").join("\n");
        if (/cdktf deploy|terraform apply|--auto-approve|apply-saved-plan/.test(text))
          expect(`${wf.file}/${id} environment=${Boolean(j.environment)}`).toBe(`${wf.file}/${id} environment=true`);
      }
    }
  });

  test("deploys core, data, edge, then the primary and the secondary app stack, one step each", () => {
    const stacks = deploy.steps.filter((s: any) => /apply-saved-plan/.test(s.run ?? "")).map((s: any) => s.env.STACK);
    expect(stacks).toEqual(["core", "data", "edge", "${{ steps.stacks.outputs.app_primary }}", "${{ steps.stacks.outputs.app_secondary }}"]);
    for (const s of deploy.steps.filter((x: any) => /apply-saved-plan/.test(x.run ?? ""))) {
      expect(s.run).toBe('scripts/apply-saved-plan.sh "${STACK}"');
      expect(s.env.TF_CLI_ARGS_apply).toBeUndefined();
    }
  });

  test("applies the approved plan files: downloaded from the plan job, made at this commit, refused if main moved", () => {
    const steps = deploy.steps as any[];
    const index = (re: RegExp) => steps.findIndex((s) => re.test(`${s.name ?? ""} ${s.uses ?? ""} ${s.run ?? ""}`));
    const moved = index(/commits\/main/);
    const download = index(/actions\/download-artifact@/);
    const commit = index(/plans\/commit/);
    const firstApply = index(/apply-saved-plan/);
    expect(moved).toBeGreaterThan(-1);
    expect(steps[moved].run).toMatch(/"\$\{head\}" != "\$\{GITHUB_SHA\}"[\s\S]*exit 1/);
    expect(steps[download].with.name).toBe("plans-${{ needs.target.outputs.environment }}");
    expect(steps[commit].run).toMatch(/exit 1/);
    expect(Math.max(moved, download, commit)).toBeLessThan(firstApply);
    expect(steps.map((s) => s.run ?? "").join("\n")).not.toMatch(/cdktf deploy|--auto-approve/);
  });

  test("each stack step can be left out with the `only` input, which the plan honours too", () => {
    const steps = deploy.steps.filter((s: any) => /apply-saved-plan/.test(s.run ?? ""));
    expect(steps.map((s: any) => s.if)).toEqual(
      ["core", "data", "edge", "app_primary", "app_secondary"].map((slot) => `steps.stacks.outputs.run_${slot} == 'true'`),
    );
    expect(w.doc.jobs.plan.with.stacks).toBe("${{ inputs.only || '' }}");
  });

  test("logs in by OIDC without a client secret, with the Cloudflare token from a secret", () => {
    expect(deploy.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(deploy.env.ARM_USE_OIDC).toBe("true");
    expect(deploy.env.ARM_CLIENT_ID).toBe("${{ vars.AZURE_CLIENT_ID }}");
    expect(deploy.env.CLOUDFLARE_API_TOKEN).toBe("${{ secrets.CLOUDFLARE_API_TOKEN }}");
    expect(w.doc.env.CHECKPOINT_DISABLE).toBe("1");
    const login = deploy.steps.find((s: any) => String(s.uses).startsWith("azure/login@"));
    expect(Object.keys(login.with).sort()).toEqual(["client-id", "subscription-id", "tenant-id"]);
  });

  test("refuses to replace the Matomo salt and to run from another branch", () => {
    const script = deploy.steps.map((s: any) => s.run ?? "").join("\n");
    expect(script).toMatch(/MatomoSalt/);
    expect(script).toMatch(/refs\/heads\/main/);
  });
});

describe("shell steps", () => {
  const shellcheck = tool("shellcheck", "shellcheck");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-steps-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  // GitHub runs `run:` with `bash -e -o pipefail` by default.
  const files = runSteps.map((s, i) => {
    const file = path.join(dir, `${i}-${s.workflow.replace(/\W/g, "_")}-${s.job}.sh`);
    fs.writeFileSync(file, `#!/usr/bin/env bash\nset -eo pipefail\n# ${where(s)}\n${s.step.run}\n`);
    return { s, file };
  });

  test.each(files.map((f) => [where(f.s), f.file]))("%s: bash -n", (_name, file) => {
    const r = run("bash", ["-n", file]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  shellcheck.test(`every run step passes shellcheck${shellcheck.label}`, () => {
    // SC2154: variables come from the job's env. SC2016: single-quoted backticks
    // and ${...} are Markdown and JavaScript template literals, on purpose.
    const r = run("shellcheck", ["--shell=bash", "--severity=style", "--exclude=SC2154,SC2016", ...files.map((f) => f.file)]);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});
