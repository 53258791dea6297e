#!/usr/bin/env node
/*
 * What a fork does on day one, checked: copy the repository, synthesize it as
 * shipped, move the example environment to two other regions (new short
 * names, so new stack names), add an environment file of its own (other
 * regions, another Cloudflare plan, the large size), synthesize both, and run
 * `npm test` on the copy. Nothing else is edited: if a test or a workflow
 * hard-codes the shipped environments, this fails.
 *
 *   node scripts/fork-check.js [--keep]     (run by .ci/run)
 */
"use strict";
const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const keep = process.argv.includes("--keep");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "fork-check-"));
const repo = path.join(work, "repo");
const started = Date.now();

function step(title, cmd, args, env = {}) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: repo, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stdout.write(`FAIL ${title} (${secs} s, exit ${r.status})\n${(r.stdout || "").slice(-4000)}\n${(r.stderr || "").slice(-4000)}\n`);
    finish(1);
  }
  process.stdout.write(`PASS ${title} (${secs} s)\n`);
  return r.stdout;
}

function finish(code) {
  if (!keep) fs.rmSync(work, { recursive: true, force: true });
  else process.stdout.write(`kept ${repo}\n`);
  process.stdout.write(`fork check: ${code === 0 ? "passed" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  process.exit(code);
}

function edit(file, replacements) {
  const p = path.join(repo, file);
  let text = fs.readFileSync(p, "utf8");
  for (const [from, to] of replacements) {
    if (!text.includes(from)) {
      process.stdout.write(`FAIL ${file} no longer contains '${from}': update scripts/fork-check.js\n`);
      finish(1);
    }
    text = text.split(from).join(to);
  }
  fs.writeFileSync(p, text);
}

// The tracked and new (not ignored) files, as a clone would have them.
const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean);
for (const f of files) {
  const src = path.join(root, f);
  if (!fs.existsSync(src)) continue;
  fs.mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
  fs.copyFileSync(src, path.join(repo, f));
}
fs.symlinkSync(path.join(root, "node_modules"), path.join(repo, "node_modules"), "dir");
process.stdout.write(`copied ${files.length} files to ${repo}\n`);

step("synth as shipped", "npm", ["run", "synth"]);

edit("config/environments/example.ts", [
  ['location: "westeurope"', 'location: "eastus2"'],
  ['shortName: "weu"', 'shortName: "eus"'],
  ['location: "northeurope"', 'location: "centralus"'],
  ['shortName: "neu"', 'shortName: "cus"'],
  ['cloudflareCheckRegions: ["WEU"]', 'cloudflareCheckRegions: ["ENAM"]'],
  ['cloudflareCheckRegions: ["WEU", "EEU"]', 'cloudflareCheckRegions: ["ENAM", "WNAM"]'],
]);
const own = fs
  .readFileSync(path.join(repo, "config/environments/example.ts"), "utf8")
  .replace("export const example", "export const acme")
  .replace(/environment: "[a-z0-9]+"/, 'environment: "acme"')
  .replace('location: "eastus2"', 'location: "southcentralus"')
  .replace('shortName: "eus"', 'shortName: "scus"')
  .replace('location: "centralus"', 'location: "westus3"')
  .replace('shortName: "cus"', 'shortName: "wus"')
  .replace(/plan: "[a-z]+"/, 'plan: "business"')
  .replace(/size: "[a-z]+"/, 'size: "large"')
  .replace(/frontends: \{[^}]*\}/, "frontends: {}");
fs.writeFileSync(path.join(repo, "config/environments/acme.ts"), own);

const out = step("synth after moving the example to eastus2/centralus", "npm", ["run", "synth"]);
const stacks = fs
  .readdirSync(path.join(repo, "cdktf.out", "stacks"))
  .sort()
  .join(",");
if (stacks !== "app-cus,app-eus,core,data,edge") {
  process.stdout.write(`FAIL expected stacks app-cus,app-eus,core,data,edge, found ${stacks}\n${out.slice(-2000)}\n`);
  finish(1);
}
step("synth of a new environment file (southcentralus/westus3, Business, large)", "npm", ["run", "synth"], { MATOMO_ENV: "acme" });
step("npm test on the fork", "npm", ["test"], { CI: process.env.CI ?? "" });
finish(0);
