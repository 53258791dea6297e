#!/usr/bin/env node
/*
 * `npm run synth`: the cdktf CLI in a terminal; the app itself when output is
 * not a terminal (CI logs), where the CLI's spinner would print a line per
 * frame. Both write the same cdktf.out (the CLI only runs `node dist/main.js`
 * and lists the stacks).
 */
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const env = { ...process.env, CHECKPOINT_DISABLE: "1" };
const viaCli = process.stdout.isTTY && !process.argv.includes("--no-cli");
const r = viaCli
  ? spawnSync("npx", ["cdktf", "synth"], { cwd: root, env, stdio: "inherit" })
  : spawnSync(process.execPath, [path.join(root, "dist", "main.js")], { cwd: root, env, stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);
if (!viaCli) {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(root, env.CDKTF_OUTDIR ?? "cdktf.out", "manifest.json"), "utf8"));
  process.stdout.write(`Generated Terraform code for the stacks: ${Object.keys(manifest.stacks).sort().join(", ")}\n`);
}
