import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { BlueprintConfig } from "../config";
import { buildBlueprint } from "./blueprint";
import { BlueprintChecks, POLICY_REPORT_FILE, policyReport, policyReportLines } from "../policies/pack";
import { environmentFacts, FACTS_FILE } from "./facts";

/** Builds the stacks; returns the policy pack it applied, if any, for the report. */
type Build = (app: App, config: BlueprintConfig) => { readonly checks?: BlueprintChecks } | void;

export interface SynthesizeOptions {
  /**
   * The cdktf CLI runs the app and afterwards deletes the stack folders of the
   * previous output that are no longer synthesized, failing if one is already
   * gone. Under the CLI, such folders are left (empty) for it to delete.
   * @default false
   */
  readonly cliRemovesOrphanedStacks?: boolean;
  /**
   * Receives the policy lines reviewers must see (suppressions with reasons, warnings, a summary).
   * @default - printed to stdout
   */
  readonly log?: (line: string) => void;
}

/**
 * Synthesizes one environment into a staging directory and swaps it into
 * `outdir` only when every stack synthesized and no policy error was raised,
 * so a failed run never leaves `cdktf.out` half-written. Beside the stacks it writes
 * `policy-report.json` and `facts.json` (stacks/facts.ts).
 */
export function synthesizeEnvironment(config: BlueprintConfig, outdir: string, build: Build = buildBlueprint, options: SynthesizeOptions = {}): void {
  const staging = `${outdir}.staging`;
  fs.rmSync(staging, { recursive: true, force: true });
  // cdktf creates only the last folder of its outdir; CDKTF_OUTDIR may name a deeper one.
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  try {
    const app = new App({ outdir: staging, stackTraces: false });
    const built = build(app, config);
    app.synth();
    fs.writeFileSync(path.join(staging, FACTS_FILE), JSON.stringify(environmentFacts(config), null, 2) + "\n");
    if (built?.checks) {
      const report = policyReport(config.environment, built.checks.findings);
      fs.writeFileSync(path.join(staging, POLICY_REPORT_FILE), JSON.stringify(report, null, 2) + "\n");
      const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
      policyReportLines(report).forEach(log);
    }
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  const previous = `${outdir}.previous`;
  fs.rmSync(previous, { recursive: true, force: true });
  const stacksDir = (dir: string) => path.join(dir, "stacks");
  const previousStacks = fs.existsSync(stacksDir(outdir)) ? fs.readdirSync(stacksDir(outdir)) : [];
  if (fs.existsSync(outdir)) fs.renameSync(outdir, previous);
  fs.renameSync(staging, outdir);
  if (options.cliRemovesOrphanedStacks) {
    for (const name of previousStacks) fs.mkdirSync(path.join(stacksDir(outdir), name), { recursive: true });
  }
  fs.rmSync(previous, { recursive: true, force: true });
  // Local state lives beside cdktf.out (see BlueprintStack); make sure its folder exists.
  if (config.backend.type === "local") {
    fs.mkdirSync(path.join(path.dirname(path.resolve(outdir)), "terraform-state", config.environment), { recursive: true });
  }
}
