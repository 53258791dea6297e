/**
 * The docs, the scripts (and what they print) and the production code stand
 * alone: a fork has only this repository, so nothing may point at files beside
 * or outside it. Facts cite their public source URL instead.
 */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "./support";
import { outsideReferences } from "./standalone";

/** What a fork reads or runs, relative to the repository root. */
const SCOPE = ["README.md", "main.ts", "docs", "scripts", "modules", "config", "stacks", "policies", "preflight", "verify"];
/** Generated or installed trees (ignored by git), never shipped. */
const SKIP_DIRS = new Set(["node_modules", ".git", "dist", "coverage", ".gen", "terraform-state", ".terraform"]);

/** The files of SCOPE, relative to the repository root. */
function scopedFiles(): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    const abs = path.join(REPO_ROOT, rel);
    if (!fs.existsSync(abs)) return;
    const stat = fs.statSync(abs);
    if (stat.isDirectory()) {
      for (const e of fs.readdirSync(abs).sort()) if (!SKIP_DIRS.has(e) && !e.startsWith("cdktf.out")) visit(path.join(rel, e));
    } else if (stat.isFile()) out.push(rel);
  };
  SCOPE.forEach(visit);
  return out;
}

describe("the checker itself", () => {
  test("flags paths and section references outside the repository", () => {
    const samples = [
      "Sources: `shared/reference/toolchain.md` §5.",
      'opts.from = path.join(ROOT, "..", "shared", "provider-schemas");',
      "node scripts/refresh-schemas.js   # from ../shared/provider-schemas",
      "zones swap after failover (reliability-security §1.2)",
      "Matomo's diagnostics require >= 64 MiB (matomo.md §4)",
      "unavailable on Burstable (toolchain §2.2)",
      "migrations break (peers-and-style I.5.2)",
      "## Targets (DESIGN.md §8)",
    ];
    for (const s of samples) expect(outsideReferences(s)).not.toEqual([]);
    expect(outsideReferences("line one\n(matomo.md §1)")).toEqual([
      { line: 2, text: "matomo.md", fix: expect.stringContaining("public source URL") },
      { line: 2, text: "matomo.md §", fix: expect.stringContaining("public source URL") },
    ]);
  });

  test("passes repository paths, public URLs and ordinary words", () => {
    const ok = [
      "See [upgrade](docs/runbooks/upgrade-matomo.md) and upgrade-matomo.md, Rollback.",
      "The first line installs the pinned toolchain; revisit on the successor toolchain.",
      "Source: https://matomo.org/faq/how-to/faq_19308/ and https://developers.cloudflare.com/load-balancing/monitors/",
      "Matomo's shared files (config.ini.php) live on the NFS share; the shared set is copied.",
    ];
    for (const s of ok) expect(outsideReferences(s)).toEqual([]);
  });
});

test("the scope holds the docs, scripts and production code", () => {
  const files = scopedFiles();
  expect(files).toEqual(
    expect.arrayContaining([
      "README.md",
      "docs/first-boot.md",
      "scripts/report.js",
      "scripts/refresh-schemas.js",
      "modules/edge/plan-profile.ts",
      "verify/schema/validator.ts",
      "config/schema.ts",
    ]),
  );
  expect(files.some((f) => f.startsWith("node_modules/") || f.startsWith("dist/"))).toBe(false);
});

test("no doc, script or production file mentions a path outside the repository", () => {
  const problems = scopedFiles().flatMap((file) =>
    outsideReferences(fs.readFileSync(path.join(REPO_ROOT, file), "utf8")).map((r) => `${file}:${r.line}: '${r.text}': ${r.fix}`),
  );
  expect(problems).toEqual([]);
});
