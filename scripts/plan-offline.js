#!/usr/bin/env node
// `npm run plan:offline`: applies every stack of the example environment into local state with
// stand-in providers, then plans the day-2 scenarios and prints a table (docs/offline-plan.md).
// Needs terraform (1.10+) on PATH; without it the run is skipped loudly (Terraform is not in Debian's
// archive, so a fresh CI machine may not have it).
"use strict";
const os = require("os");
const path = require("path");
const { execFileSync } = require("child_process");

function terraformVersion() {
  try {
    return JSON.parse(execFileSync("terraform", ["version", "-json"], { encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" } }))
      .terraform_version;
  } catch {
    return null;
  }
}

async function main() {
  const version = terraformVersion();
  if (!version) {
    const msg = "SKIPPED plan:offline: 'terraform' not found on PATH (install Terraform 1.10+ from https://developer.hashicorp.com/terraform/install)";
    console.error(`\n${"!".repeat(msg.length)}\n${msg}\n${"!".repeat(msg.length)}\n`);
    // CI must run it (.ci/run); a laptop without Terraform skips loudly.
    process.exit(process.env.CI ? 1 : 0);
  }
  const [major, minor] = version.split(".").map(Number);
  if (major < 1 || (major === 1 && minor < 10)) {
    console.error(`plan:offline needs Terraform 1.10+ (ephemeral resources, write-only arguments); found ${version}`);
    process.exit(1);
  }
  const { runOfflinePlan, formatTable } = require("../dist/verify/offline-terraform/run.js");
  const { ENVIRONMENTS, loadEnvironment } = require("../dist/config/index.js");
  const environment = process.env.MATOMO_ENV ?? "example";
  // Same checks and messages as `npm run synth` (unknown name, invalid config) before any Terraform runs.
  try {
    loadEnvironment(environment);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
  const workDir = process.env.PLAN_OFFLINE_DIR ?? path.join(os.tmpdir(), `plan-offline-${process.pid}`);
  const result = await runOfflinePlan({
    input: ENVIRONMENTS[environment],
    environment,
    workDir,
    env: process.env,
    log: (line) => console.error(line),
  });
  console.log(`\nOffline plan (terraform ${version}, environment ${environment}, ${result.seconds.toFixed(1)} s, state in ${workDir}/terraform-state)\n`);
  console.log(formatTable(result));
  process.exit(result.ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
