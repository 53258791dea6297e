/**
 * Shared helpers of the delivery tests (workflows, Checkov config, state
 * bootstrap script, documentation links).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const WORKFLOW_DIR = path.join(REPO_ROOT, ".github", "workflows");

export { tool } from "../tools";

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Run {
  const r = spawnSync(cmd, args, { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? process.env, input: options.input, encoding: "utf8", timeout: 30000 });
  return { code: r.status ?? -1, stdout: r.stdout ?? "", stderr: (r.stderr ?? "") + (r.error ? String(r.error) : "") };
}

export interface Workflow {
  /** File name, e.g. `deploy.yml`. */
  readonly file: string;
  /** Raw text (comments included). */
  readonly text: string;
  /** Parsed document as plain JSON. */
  readonly doc: any;
  /** YAML parse errors, if any. */
  readonly errors: string[];
}

export function loadWorkflows(): Workflow[] {
  if (!fs.existsSync(WORKFLOW_DIR)) return [];
  return fs
    .readdirSync(WORKFLOW_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
      const parsed = parseDocument(text, { uniqueKeys: true });
      return { file, text, doc: parsed.toJS(), errors: [...parsed.errors, ...parsed.warnings].map((e) => e.message) };
    });
}

export interface Step {
  readonly workflow: string;
  readonly job: string;
  readonly index: number;
  readonly step: any;
}

export function jobsOf(w: Workflow): [string, any][] {
  return Object.entries<any>(w.doc?.jobs ?? {});
}

export function stepsOf(w: Workflow): Step[] {
  return jobsOf(w).flatMap(([job, j]) => (j.steps ?? []).map((step: any, index: number) => ({ workflow: w.file, job, index, step })));
}

/** The `on:` block (YAML 1.1 parsers may read the key `on` as `true`). */
export function triggersOf(w: Workflow): any {
  return w.doc?.on ?? w.doc?.true;
}

/** Every Markdown file of the repository that people read (generated and vendored trees excluded). */
export function markdownFiles(): string[] {
  const skip = new Set(["node_modules", ".git", "dist", "coverage", ".gen", "terraform-state"]);
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (skip.has(e.name) || e.name.startsWith("cdktf.out")) continue;
        walk(path.join(dir, e.name));
      } else if (e.isFile() && e.name.toLowerCase().endsWith(".md")) {
        out.push(path.relative(REPO_ROOT, path.join(dir, e.name)));
      }
    }
  };
  walk(REPO_ROOT);
  return out.sort();
}
