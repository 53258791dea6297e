import * as fs from "fs";
import * as os from "os";
import * as path from "path";
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

/** Synthesizes a whole environment exactly as `npm run synth` does and returns each stack's JSON. */
export function synthAll(config: BlueprintConfig): { dir: string; stacks: Record<string, TfJson> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "matomo-synth-"));
  const outdir = path.join(dir, "cdktf.out");
  synthesizeEnvironment(config, outdir);
  return { dir: outdir, stacks: readStacks(outdir) };
}

function readStacks(outdir: string): Record<string, TfJson> {
  const stacks: Record<string, TfJson> = {};
  for (const id of fs.readdirSync(path.join(outdir, "stacks"))) {
    stacks[id] = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
  }
  return stacks;
}

/**
 * The test fixture as `npm run synth` would write it, synthesized once per
 * test run by the global setup (or here when a file runs on its own).
 */
export function exampleSynth(): { dir: string; stacks: Record<string, TfJson> } {
  const dir = process.env.MATOMO_TEST_EXAMPLE_OUT;
  if (dir && fs.existsSync(path.join(dir, "manifest.json"))) return { dir, stacks: readStacks(dir) };
  return synthAll(exampleConfig());
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
