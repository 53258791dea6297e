/**
 * Offline plan and apply: synthesizes an environment, applies every stack in
 * deploy order into local state through the stand-in providers, then plans each
 * scenario per stack and checks what would change. Entry point:
 * scripts/plan-offline.js (`npm run plan:offline`).
 */
import * as fs from "fs";
import * as path from "path";
import { parseConfig } from "../../config/load";
import { synthesizeEnvironment } from "../../stacks/synthesize";
import { loadProjectSchemas } from "../schema/validator";
import { startStandIns, RunningStandIns } from "./server";
import { generatedSecrets, ReplaceTable } from "./standin";
import { parsePlanOutput, PlanSummary, terraform } from "./terraform";
import { Scenario, SCENARIOS } from "./scenarios";
import type { Value } from "./values";
import replaceTable from "./replace-on-change.json";
import fixtures from "./fixtures.json";
import { STATEFUL_TYPES as POLICY_STATEFUL_TYPES } from "../../policies/rules/stateful-prevent-destroy";

/**
 * Types whose replacement loses data or identity: the stateful types of policy BP-STATE-1 plus what the
 * stateful-ID test pins (secrets, identities, resource groups, public IPs Cloudflare points at), and the
 * delete locks that guard them (a plan that drops one leaves a database deletable).
 */
export const STATEFUL_TYPES = new Set<string>([
  ...POLICY_STATEFUL_TYPES,
  "azurerm_mysql_flexible_database",
  "azurerm_key_vault_secret",
  "azurerm_resource_group",
  "azurerm_user_assigned_identity",
  "azurerm_public_ip",
  "azurerm_management_lock",
  "random_password",
]);

export interface RunOptions {
  /** Environment input to start from (the example environment). */
  readonly input: Record<string, unknown>;
  readonly environment: string;
  readonly workDir: string;
  /** The caller's environment for terraform (PATH, HOME). */
  readonly env: NodeJS.ProcessEnv;
  readonly scenarios?: readonly Scenario[];
  readonly log?: (line: string) => void;
}

export interface StackResult {
  stack: string;
  plan: PlanSummary;
  replaced: string[];
}
export interface ScenarioResult {
  name: string;
  expect: Scenario["expect"];
  passed: boolean;
  detail: string;
  stacks: StackResult[];
  seconds: number;
}
export interface RunResult {
  ok: boolean;
  results: ScenarioResult[];
  secretsInState: string[];
  generatedSecrets: number;
  seconds: number;
}

/** Stack order of a deploy: core, data, edge, then the app stacks (from the cdktf manifest's dependencies). */
export function deployOrder(manifest: { stacks: Record<string, { dependencies: string[] }> }): string[] {
  const done: string[] = [];
  const visit = (name: string, seen: Set<string>) => {
    if (done.includes(name)) return;
    if (seen.has(name)) throw new Error(`stack dependency cycle at ${name}`);
    seen.add(name);
    for (const dep of [...manifest.stacks[name].dependencies].sort()) visit(dep, seen);
    done.push(name);
  };
  for (const name of Object.keys(manifest.stacks).sort((a, b) => (a.startsWith("app-") ? 1 : 0) - (b.startsWith("app-") ? 1 : 0) || a.localeCompare(b)))
    visit(name, new Set());
  return done;
}

/** Addresses with `prevent_destroy` in a synthesized stack. */
function protectedAddresses(doc: { resource?: Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>> }): Set<string> {
  const out = new Set<string>();
  for (const [type, byName] of Object.entries(doc.resource ?? {})) {
    for (const [name, r] of Object.entries(byName)) if (r.lifecycle?.prevent_destroy) out.add(`${type}.${name}`);
  }
  return out;
}

/** Judges one scenario's plans against its expectation. */
export function judge(scenario: Scenario, stacks: StackResult[], protectedByStack: Record<string, Set<string>>): { passed: boolean; detail: string } {
  const changed = stacks.flatMap((s) => s.plan.changes.filter((c) => c.action !== "noop" && c.action !== "read").map((c) => ({ ...c, stack: s.stack })));
  const stateful = changed.filter(
    (c) => (c.action === "replace" || c.action === "delete") && (STATEFUL_TYPES.has(c.type) || protectedByStack[c.stack]?.has(c.address)),
  );
  const blocked = stacks.flatMap((s) =>
    s.plan.errors
      .filter((e) => /prevent_destroy|cannot be destroyed/i.test(`${e.summary} ${e.detail}`))
      .map((e) => `${s.stack}:${e.address ?? /Resource (\S+) has lifecycle\.prevent_destroy/.exec(e.detail)?.[1] ?? "?"}`),
  );
  const otherErrors = stacks.flatMap((s) =>
    s.plan.errors
      .filter((e) => !/prevent_destroy|cannot be destroyed/i.test(`${e.summary} ${e.detail}`))
      .map((e) => `${s.stack}: ${e.summary} ${e.detail}`.slice(0, 400)),
  );
  const replacedWhy = stacks.flatMap((s) => s.replaced.map((r) => `${s.stack}:${r}`));
  const dangerous = [...stateful.map((c) => `${c.stack}:${c.address} ${c.action}`), ...blocked.map((b) => `${b} blocked by prevent_destroy`)];
  const count = `${changed.length} change(s)`;
  if (otherErrors.length) return { passed: false, detail: `plan failed: ${otherErrors.join("; ")}` };
  if (scenario.expect === "dangerous") {
    return dangerous.length
      ? {
          passed: true,
          detail: `caught: ${dangerous.slice(0, 3).join(", ")}${dangerous.length > 3 ? ` (+${dangerous.length - 3})` : ""}${replacedWhy.length ? `; forced by ${replacedWhy.slice(0, 2).join(", ")}` : ""}`,
        }
      : { passed: false, detail: `NOT caught: no stateful replacement planned (${count})` };
  }
  if (dangerous.length) return { passed: false, detail: `stateful replacement: ${dangerous.join(", ")}; forced by ${replacedWhy.join(", ") || "?"}` };
  if (scenario.expect === "empty") {
    return changed.length
      ? { passed: false, detail: `expected no change, got ${changed.map((c) => `${c.stack}:${c.address} ${c.action}`).join(", ")}` }
      : { passed: true, detail: "every stack plans empty" };
  }
  const unexpected = scenario.only ? changed.filter((c) => !scenario.only!.some((re) => re.test(`${c.stack}:${c.address}`))) : [];
  if (unexpected.length) return { passed: false, detail: `unexpected: ${unexpected.map((c) => `${c.stack}:${c.address} ${c.action}`).join(", ")}` };
  const byAction = changed.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.action]: (acc[c.action] ?? 0) + 1 }), {});
  const replacedStateless = changed.filter((c) => c.action === "replace").map((c) => `${c.stack}:${c.type}`);
  const replacedNote = replacedStateless.length ? `; replaced (stateless): ${[...new Set(replacedStateless)].join(", ")}` : "";
  return {
    passed: true,
    detail: `${count} (${
      Object.entries(byAction)
        .map(([a, n]) => `${n} ${a}`)
        .join(", ") || "none"
    }), no stateful replacement${replacedNote}`,
  };
}

export async function runOfflinePlan(opts: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  fs.rmSync(opts.workDir, { recursive: true, force: true });
  fs.mkdirSync(opts.workDir, { recursive: true });
  const outdir = path.join(opts.workDir, "cdktf.out");
  const schemas = loadProjectSchemas();
  const standIns: RunningStandIns = await startStandIns(
    schemas.provider_schemas,
    { replaceTable: replaceTable.resources as ReplaceTable, fixtures: fixtures as unknown as Record<string, Record<string, Value>> },
    opts.workDir,
  );
  // Stand-in Azure CLI for local-exec provisioners (core's Key Vault data-plane wait): access is granted at once.
  const bin = path.join(opts.workDir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, "az"), '#!/bin/sh\necho "stand-in az: $*" >&2\nexit 0\n', { mode: 0o755 });
  const env = {
    ...opts.env,
    PATH: `${bin}${path.delimiter}${opts.env?.PATH ?? ""}`,
    TF_REATTACH_PROVIDERS: standIns.reattach,
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
    TF_CLI_CONFIG_FILE: "/dev/null",
  };
  const dataDir = (stack: string) => ({ ...env, TF_DATA_DIR: path.join(opts.workDir, "tf-data", stack) });
  const stackDir = (stack: string) => path.join(outdir, "stacks", stack);
  const initialized = new Set<string>();

  const synth = (input: Record<string, unknown>) => {
    synthesizeEnvironment(parseConfig(opts.environment, input), outdir);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    const order = deployOrder(manifest);
    const protectedBy = Object.fromEntries(
      order.map((s) => [s, protectedAddresses(JSON.parse(fs.readFileSync(path.join(stackDir(s), "cdk.tf.json"), "utf8")))]),
    );
    return { order, protectedBy };
  };
  const init = async (stack: string) => {
    if (initialized.has(stack)) return;
    const r = await terraform(["init", "-input=false", "-no-color"], stackDir(stack), dataDir(stack));
    if (r.code !== 0) throw new Error(`terraform init failed in ${stack}:\n${r.stderr || r.stdout}`);
    initialized.add(stack);
  };
  const plan = async (stack: string): Promise<StackResult> => {
    await init(stack);
    for (const p of standIns.providers) p.replaced.length = 0;
    const r = await terraform(["plan", "-input=false", "-json", "-detailed-exitcode", "-lock=false"], stackDir(stack), dataDir(stack));
    const replaced = standIns.providers.flatMap((p) => p.replaced.map((x) => `${x.type} ${x.name} (${x.paths.join(", ")})`));
    return { stack, plan: parsePlanOutput(r), replaced };
  };
  const apply = async (stack: string) => {
    await init(stack);
    const r = await terraform(["apply", "-input=false", "-auto-approve", "-json", "-lock=false"], stackDir(stack), dataDir(stack));
    const parsed = parsePlanOutput(r);
    if (!parsed.ok) throw new Error(`terraform apply failed in ${stack}: ${parsed.errors.map((e) => `${e.summary}: ${e.detail}`).join("; ")}`);
  };

  const results: ScenarioResult[] = [];
  try {
    let current = opts.input;
    let { order } = synth(current);
    log(`apply ${order.join(" -> ")}`);
    for (const stack of order) await apply(stack);
    let notApplied: string | undefined;
    for (const scenario of opts.scenarios ?? SCENARIOS) {
      const t0 = Date.now();
      if (notApplied) {
        // Its baseline was never reached: planning it would judge the wrong state.
        results.push({
          name: scenario.name,
          expect: scenario.expect,
          passed: false,
          detail: `not run: "${notApplied}" failed, so its change was not applied`,
          stacks: [],
          seconds: 0,
        });
        continue;
      }
      const input = scenario.change(current);
      const synthed = synth(input);
      order = synthed.order;
      const stacks: StackResult[] = [];
      for (const stack of order) stacks.push(await plan(stack));
      const verdict = judge(scenario, stacks, synthed.protectedBy);
      if (scenario.apply && verdict.passed) {
        for (const stack of order) await apply(stack);
        current = input;
      } else if (scenario.apply) {
        log(`not applied: ${scenario.name}`);
        notApplied = scenario.name;
      }
      results.push({ name: scenario.name, expect: scenario.expect, ...verdict, stacks, seconds: (Date.now() - t0) / 1000 });
      log(`${verdict.passed ? "ok  " : "FAIL"} ${scenario.name}: ${verdict.detail}`);
    }
  } finally {
    await standIns.close();
  }
  const secretsInState = findSecrets(path.join(opts.workDir, "terraform-state"));
  // No generated value at all would make the state check vacuous.
  const ok = results.every((r) => r.passed) && secretsInState.length === 0 && generatedSecrets.size > 0;
  return { ok, results, secretsInState, generatedSecrets: generatedSecrets.size, seconds: (Date.now() - started) / 1000 };
}

/** State files that contain a value a stand-in generated as a secret. */
export function findSecrets(stateDir: string): string[] {
  const hits: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".tfstate")) {
        const text = fs.readFileSync(p, "utf8");
        const n = [...generatedSecrets].filter((s) => text.includes(s)).length;
        if (n) hits.push(`${path.basename(p)}: ${n} generated value(s)`);
      }
    }
  };
  walk(stateDir);
  return hits;
}

/** The printed table. */
export function formatTable(result: RunResult): string {
  const rows = result.results.map((r) => [
    r.passed ? "PASS" : "FAIL",
    r.expect === "dangerous" ? "caught" : r.expect,
    r.name,
    `${r.seconds.toFixed(0)} s  ${r.detail}`,
  ]);
  const secretsOk = result.secretsInState.length === 0 && result.generatedSecrets > 0;
  const secretsDetail =
    result.generatedSecrets === 0
      ? "no secret was generated: nothing to check"
      : result.secretsInState.join("; ") || `none of the ${result.generatedSecrets} generated values is in any state file`;
  rows.push([secretsOk ? "PASS" : "FAIL", "state", "no generated secret in state", secretsDetail]);
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `${r[0].padEnd(w[0])}  ${r[1].padEnd(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`).join("\n");
}
