/** Bounded child processes: every command has a timeout, nothing runs unbounded. */
import { spawn, spawnSync, ChildProcess } from "child_process";
import * as fs from "fs";

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs a command to completion (killed after `timeoutMs`, default 120 s). */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): RunResult {
  const start = Date.now();
  const r = spawnSync(cmd, args as string[], {
    input: opts.input,
    timeout: opts.timeoutMs ?? 120_000,
    killSignal: "SIGKILL",
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: opts.env ?? process.env,
  });
  const timedOut = r.error && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
  return {
    code: r.status ?? (timedOut ? 124 : 125),
    stdout: r.stdout ?? "",
    stderr:
      (r.stderr ?? "") + (timedOut ? `\n[rehearse] ${cmd} timed out after ${opts.timeoutMs ?? 120_000} ms` : r.error ? `\n[rehearse] ${r.error.message}` : ""),
    ms: Date.now() - start,
  };
}

/** Like `run` but throws with the command's stderr when it fails. */
export function must(cmd: string, args: readonly string[], opts: RunOptions = {}): string {
  const r = run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.code}): ${(r.stderr || r.stdout).trim().slice(-2000)}`);
  return r.stdout;
}

/** Starts a long-running process with its output appended to `logFile`. */
export function daemon(cmd: string, args: readonly string[], logFile: string): ChildProcess {
  const fd = fs.openSync(logFile, "a");
  const child = spawn(cmd, args as string[], { stdio: ["ignore", fd, fd], detached: true });
  fs.closeSync(fd);
  child.unref();
  return child;
}

/** Polls `check` every 200 ms until it returns true or `timeoutMs` passes. */
export function waitFor(check: () => boolean, timeoutMs: number): boolean {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= until) return false;
    spawnSync("sleep", ["0.2"]);
  }
}
