#!/usr/bin/env node
/**
 * Prints the performance figures of the blueprint from one run:
 *  - `cdktf synth` of every stack vs. `cdktf synth` of a one-resource cdktf app,
 *    both end to end through the CLI as a user runs them (target ratio <= 1.5);
 *  - the same two apps run directly with `node` on precompiled JS, without the
 *    CLI's fixed cost, to show where the app's own time goes;
 *  - wall time of the test suite (target <= 30 s on 2 cores).
 * Every timing is a fresh process, repeated; the median is reported.
 */
const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const env = { ...process.env, CHECKPOINT_DISABLE: "1" };

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeNode(args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [...args(out)], { cwd: ROOT, env: { ...env, CDKTF_OUTDIR: path.join(out, "cdktf.out") }, encoding: "utf8" });
    const t1 = process.hrtime.bigint();
    if (r.status !== 0) throw new Error(`${args(out).join(" ")} failed: ${r.stderr}`);
    times.push(Number(t1 - t0) / 1e9);
    fs.rmSync(out, { recursive: true, force: true });
  }
  return median(times);
}

execFileSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: ROOT, stdio: "inherit", env });
const blueprint = timeNode(() => ["dist/main.js"]);
const baseline = timeNode((out) => ["scripts/bench/one-resource.js", path.join(out, "one")]);

const CDKTF = path.join(ROOT, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf");
function timeCli(projectDir) {
  const times = [];
  for (let i = 0; i < Math.max(3, Math.ceil(RUNS / 2)); i++) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cli-"));
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [CDKTF, "synth", "--output", out], { cwd: projectDir, env, encoding: "utf8" });
    const t1 = process.hrtime.bigint();
    if (r.status !== 0) throw new Error(`cdktf synth in ${projectDir} failed: ${r.stdout}${r.stderr}`);
    times.push(Number(t1 - t0) / 1e9);
    fs.rmSync(out, { recursive: true, force: true });
  }
  return median(times);
}
const oneProject = fs.mkdtempSync(path.join(os.tmpdir(), "bench-one-"));
fs.writeFileSync(
  path.join(oneProject, "cdktf.json"),
  JSON.stringify({ language: "typescript", app: `node ${path.join(ROOT, "scripts", "bench", "one-resource.js")}` }),
);
const blueprintCli = timeCli(ROOT);
const baselineCli = timeCli(oneProject);

const stacksDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-count-"));
spawnSync(process.execPath, ["dist/main.js"], { cwd: ROOT, env: { ...env, CDKTF_OUTDIR: stacksDir + "/o" } });
let resources = 0;
const stackIds = fs.readdirSync(path.join(stacksDir, "o", "stacks"));
for (const id of stackIds) {
  const j = JSON.parse(fs.readFileSync(path.join(stacksDir, "o", "stacks", id, "cdk.tf.json"), "utf8"));
  for (const byName of Object.values(j.resource ?? {})) resources += Object.keys(byName).length;
}

// The suite, like the synths, is timed several times (at most 3: each run takes half a minute).
const testRuns = [];
let jest;
for (let i = 0; i < Math.min(RUNS, 3); i++) {
  const t0 = Date.now();
  jest = spawnSync("npx", ["jest", "--ci", "--silent"], { cwd: ROOT, env, encoding: "utf8" });
  testRuns.push((Date.now() - t0) / 1000);
  if (jest.status !== 0) break;
}
const testSeconds = median(testRuns);
const summary = (jest.stderr.match(/Tests:.*$/m) ?? ["Tests: ?"])[0];

const ratioCli = blueprintCli / baselineCli;
const ratio = blueprint / baseline;
console.log(`cdktf synth, all ${stackIds.length} stacks (${resources} resources): ${blueprintCli.toFixed(2)} s`);
console.log(`cdktf synth, one-resource app:             ${baselineCli.toFixed(2)} s`);
console.log(`synth ratio (the figure):                  ${ratioCli.toFixed(2)} (target <= 1.5) ${ratioCli <= 1.5 ? "OK" : "OVER"}`);
console.log(
  `app only (node dist/main.js):              ${blueprint.toFixed(2)} s vs ${baseline.toFixed(2)} s one-resource = ${ratio.toFixed(2)}x (no CLI; module loading and cdktf token resolution dominate)`,
);
console.log(
  `test suite wall time (jest):          ${testSeconds.toFixed(1)} s median of ${testRuns.map((t) => t.toFixed(1)).join(", ")} (target <= 30 s on ${os.cpus().length} cores) ${testSeconds <= 30 ? "OK" : "OVER"}; ${summary}`,
);
process.exit(jest.status === 0 ? 0 : 1);
