import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createHash } from "crypto";
import { BlueprintConfig, BlueprintConfigInput, parseConfig } from "../config";
import { fixtureEnvironment } from "./fixture-environment";
import { synthesizeEnvironment } from "../stacks/synthesize";

export type TfJson = Record<string, any>;

/** The test fixture's config input (a frozen copy of the shipped example), safe to modify. */
export function exampleInput(): any {
  return JSON.parse(JSON.stringify(fixtureEnvironment));
}

/** A config derived from the test fixture (a frozen copy of the shipped example) with some fields replaced. */
export function exampleConfig(patch: (c: any) => void = () => undefined): BlueprintConfig {
  const input = exampleInput() as BlueprintConfigInput;
  patch(input);
  return parseConfig("test", input);
}

/**
 * The fixture after the region-failover runbook's promotion (`mysql.source = "secondary"`, no replica),
 * with non-default alert thresholds and upgrade wait so that tests also see those flow into the stacks. Several test
 * files read this one variant, so the run synthesizes it once.
 */
export function promotedConfig(): BlueprintConfig {
  return exampleConfig((c) => {
    c.mysql = { source: "secondary", readReplica: false };
    c.alerts = { ...c.alerts, mysqlCpuPercent: 75, archiveStaleHours: 4 };
    c.archiver = { upgradeWaitMinutes: 45 };
  });
}

/** A synth as `npm run synth` writes it: the output folder, each stack's JSON and the lines it printed. */
export interface SynthOut {
  readonly dir: string;
  readonly stacks: Record<string, TfJson>;
  readonly log: string[];
}

/** Synthesizes a whole environment exactly as `npm run synth` does (shared within a run, see below). */
export function synthAll(config: BlueprintConfig): SynthOut {
  return sharedSynth(config) ?? freshSynth(config);
}

/** A synth of its own, never shared: for tests that compare two synths or write into the output. */
export function freshSynth(config: BlueprintConfig): SynthOut {
  return synthInto(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "matomo-synth-")), "cdktf.out"), config);
}

function synthInto(outdir: string, config: BlueprintConfig): SynthOut {
  const log: string[] = [];
  synthesizeEnvironment(config, outdir, undefined, { log: (l) => log.push(l) });
  return { dir: outdir, stacks: readStacks(outdir), log };
}

/**
 * Synth output is a pure function of the config (determinism.test.ts proves it), so
 * within one run every test file that needs the same config reads one synth: the
 * first worker to ask writes it under the run's cache folder (set by the global
 * setup), the others wait for it. Outside a full run there is no cache.
 */
function sharedSynth(config: BlueprintConfig): SynthOut | undefined {
  const root = process.env.MATOMO_TEST_SYNTH_CACHE;
  if (!root) return undefined;
  const dir = path.join(root, createHash("sha256").update(JSON.stringify(config)).digest("hex").slice(0, 16));
  const outdir = path.join(dir, "cdktf.out");
  const [logFile, failed] = [path.join(dir, "synth.log.json"), path.join(dir, "failed")];
  try {
    fs.mkdirSync(dir);
  } catch {
    // Another worker is writing it (the log is written last): wait, bounded.
    const until = Date.now() + 60_000;
    while (!fs.existsSync(logFile) && !fs.existsSync(failed) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    if (fs.existsSync(failed)) throw new Error(`the shared synth of this config failed in another test file: ${fs.readFileSync(failed, "utf8")}`);
    if (!fs.existsSync(logFile)) throw new Error(`the shared synth in ${dir} did not finish within 60 s`);
    return { dir: outdir, stacks: readStacks(outdir), log: JSON.parse(fs.readFileSync(logFile, "utf8")) };
  }
  try {
    const out = synthInto(outdir, config);
    fs.writeFileSync(`${logFile}.tmp`, JSON.stringify(out.log));
    fs.renameSync(`${logFile}.tmp`, logFile);
    return out;
  } catch (e) {
    fs.writeFileSync(failed, String(e));
    throw e;
  }
}

function readStacks(outdir: string): Record<string, TfJson> {
  const stacks: Record<string, TfJson> = {};
  for (const id of fs.readdirSync(path.join(outdir, "stacks"))) {
    stacks[id] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
  }
  return stacks;
}

/** The test fixture as `npm run synth` would write it (one synth per test run, shared). */
export function exampleSynth(): SynthOut {
  return synthAll(parseConfig("example", fixtureEnvironment));
}

/** All resources of one type in a stack, keyed by logical ID. */
export function resourcesOf(stack: TfJson, type: string): Record<string, any> {
  return stack.resource?.[type] ?? {};
}

/** The single resource of a type whose construct path ends with `suffix`. */
export function byPath(stack: TfJson, type: string, suffix: string): any {
  const hits = Object.values(resourcesOf(stack, type)).filter((r: any) => r["//"]?.metadata?.path?.endsWith(suffix));
  if (hits.length !== 1) throw new Error(`expected one ${type} at *${suffix}, found ${hits.length}`);
  return hits[0];
}
