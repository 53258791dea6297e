/**
 * Runs the real terraform binary against one synthesized stack and reads its
 * machine-readable output (https://developer.hashicorp.com/terraform/internals/machine-readable-ui).
 * Spawned asynchronously: the stand-in providers answer from this same process.
 */
import { spawn } from "child_process";

export interface TfRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<TfRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

export type Action = "create" | "update" | "delete" | "replace" | "move" | "read" | "noop" | "import" | "remove";

export interface PlannedChange {
  address: string;
  type: string;
  action: Action;
}
export interface PlanSummary {
  ok: boolean;
  changes: PlannedChange[];
  /** Error diagnostics: summary, detail and address. */
  errors: { summary: string; detail: string; address?: string }[];
}

interface UiMessage {
  type: string;
  change?: { resource: { addr: string; resource_type: string }; action: Action; previous_resource?: { addr: string } };
  diagnostic?: { severity: string; summary: string; detail?: string; address?: string };
}

/** Reads `terraform plan -json` output. */
export function parsePlanOutput(run: TfRun): PlanSummary {
  const changes: PlannedChange[] = [];
  const errors: PlanSummary["errors"] = [];
  for (const line of run.stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    const msg = JSON.parse(line) as UiMessage;
    if (msg.type === "planned_change" && msg.change) {
      changes.push({ address: msg.change.resource.addr, type: msg.change.resource.resource_type, action: msg.change.action });
    } else if (msg.type === "diagnostic" && msg.diagnostic?.severity === "error") {
      errors.push({ summary: msg.diagnostic.summary, detail: msg.diagnostic.detail ?? "", address: msg.diagnostic.address });
    }
  }
  if (run.code === 1 && errors.length === 0) errors.push({ summary: "terraform failed", detail: run.stderr.trim() || run.stdout.slice(-2000) });
  return { ok: run.code !== 1, changes, errors };
}
