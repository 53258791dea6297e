import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { BlueprintConfig } from "../config";
import { buildBlueprint } from "./blueprint";

type Build = (app: App, config: BlueprintConfig) => unknown;

/**
 * Synthesizes one environment into a staging directory and swaps it into
 * `outdir` only when every stack synthesized and no policy error was raised,
 * so a failed run never leaves `cdktf.out` half-written.
 */
export function synthesizeEnvironment(config: BlueprintConfig, outdir: string, build: Build = buildBlueprint): void {
  const staging = `${outdir}.staging`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    const app = new App({ outdir: staging, stackTraces: false });
    build(app, config);
    app.synth();
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  const previous = `${outdir}.previous`;
  fs.rmSync(previous, { recursive: true, force: true });
  if (fs.existsSync(outdir)) fs.renameSync(outdir, previous);
  fs.renameSync(staging, outdir);
  fs.rmSync(previous, { recursive: true, force: true });
  // Local state lives beside cdktf.out (see BlueprintStack); make sure its folder exists.
  if (config.backend.type === "local") {
    fs.mkdirSync(path.join(path.dirname(path.resolve(outdir)), "terraform-state", config.environment), { recursive: true });
  }
}
