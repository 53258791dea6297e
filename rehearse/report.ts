/** The rehearsal's result table: one row per assertion or drill, PASS/FAIL/SKIP with its time. */
export type Status = "PASS" | "FAIL" | "SKIP";

export interface Row {
  readonly name: string;
  readonly status: Status;
  readonly ms: number;
  readonly detail: string;
}

export class Report {
  readonly rows: Row[] = [];

  /** Runs one check; a thrown error is a FAIL with its message, a returned string is the PASS detail. */
  check(name: string, fn: () => string | void): boolean {
    const start = Date.now();
    try {
      const detail = fn() ?? "";
      this.add({ name, status: "PASS", ms: Date.now() - start, detail });
      return true;
    } catch (err) {
      this.add({ name, status: "FAIL", ms: Date.now() - start, detail: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  skip(name: string, why: string): void {
    this.add({ name, status: "SKIP", ms: 0, detail: why });
  }

  private add(row: Row): void {
    this.rows.push(row);
    process.stdout.write(`[rehearse] ${row.status} ${row.name} (${(row.ms / 1000).toFixed(1)} s)${row.detail ? `: ${firstLine(row.detail)}` : ""}\n`);
  }

  get failed(): number {
    return this.rows.filter((r) => r.status === "FAIL").length;
  }

  table(): string {
    const w = Math.min(70, Math.max(10, ...this.rows.map((r) => r.name.length)));
    const lines = [`${"check".padEnd(w)}  result  seconds  detail`, `${"-".repeat(w)}  ------  -------  ------`];
    for (const r of this.rows) {
      lines.push(`${r.name.slice(0, w).padEnd(w)}  ${r.status.padEnd(6)}  ${(r.ms / 1000).toFixed(1).padStart(7)}  ${firstLine(r.detail).slice(0, 160)}`);
    }
    const count = (s: Status) => this.rows.filter((r) => r.status === s).length;
    lines.push(`${count("PASS")} passed, ${count("FAIL")} failed, ${count("SKIP")} skipped`);
    return lines.join("\n");
  }
}

function firstLine(s: string): string {
  return s
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 3)
    .join(" | ");
}
