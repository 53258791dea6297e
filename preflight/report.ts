import type { CheckResult } from "./types";

export interface Summary {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export function summarize(results: readonly CheckResult[]): Summary {
  const count = (s: CheckResult["status"]) => results.filter((r) => r.status === s).length;
  return { passed: count("PASS"), failed: count("FAIL"), skipped: count("SKIP") };
}

/** One line per check; a failed check lists each problem below it, then where the rule is documented. */
export function formatText(environment: string, results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.id.length));
  const lines: string[] = [];
  for (const r of results) {
    const head = `${r.status} ${r.id.padEnd(width)}  ${r.title}`;
    if (r.status !== "FAIL") {
      lines.push(`${head}: ${r.reason ?? ""}`.trimEnd());
      continue;
    }
    lines.push(`${head}: ${r.problems.length} problem${r.problems.length === 1 ? "" : "s"}`);
    for (const p of r.problems) lines.push(`    - ${p}`);
    lines.push(`    source: ${r.sources.join(" ")}`);
  }
  const s = summarize(results);
  lines.push(
    `preflight '${environment}': ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped${s.failed > 0 ? ": fix every problem above before the first deploy" : ""}`,
  );
  return lines.join("\n");
}

export function formatJson(environment: string, results: readonly CheckResult[]): string {
  return JSON.stringify({ environment, summary: summarize(results), checks: results }, null, 2);
}
