#!/usr/bin/env node
/**
 * Project rules that generic linters do not know. Exits 1 and lists every
 * violation with file:line and the fix. `lintSources` is exported for tests.
 */
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const SOURCE_DIRS = ["config", "stacks", "modules", "policies", "verify", "preflight"];

const RULES = [
  {
    id: "deep-imports",
    test: (line) => /from\s+["']@cdktf\/provider-[a-z]+["']/.test(line) || /require\(["']@cdktf\/provider-[a-z]+["']\)/.test(line),
    fix: "import the class by deep path, e.g. '@cdktf/provider-azurerm/lib/resource-group' (the package root loads every resource: 5-10x slower)",
  },
  {
    id: "env-only-in-main",
    test: (line, file) => /process\.env\b/.test(line) && !file.endsWith("main.ts") && file !== "preflight/cli.ts",
    fix: "read the environment only in an entry point (main.ts, preflight/cli.ts) and pass plain props down",
  },
  {
    id: "no-console-in-constructs",
    test: (line, file) => /console\.(log|info|warn|error)\(/.test(line) && /^(stacks|modules|policies)\//.test(file),
    fix: "constructs report through Annotations or thrown errors, not the console",
  },
  {
    id: "no-or-defaults",
    test: (line) => /props\.[A-Za-z]+\s*\|\|\s*(true|false|\d|["'])/.test(line),
    fix: "use ?? for defaults: || turns an explicit false/0/'' into the default",
  },
  {
    id: "no-key-material",
    test: (line) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(line) || /AccountKey=[A-Za-z0-9+/]{20}/.test(line),
    fix: "secrets are generated into Key Vault, never written in code",
  },
];

/** @returns {{file: string, line: number, rule: string, fix: string}[]} */
function lintSources(files) {
  const problems = [];
  for (const [file, text] of Object.entries(files)) {
    text.split("\n").forEach((line, i) => {
      if (/^\s*(\/\/|\*)/.test(line)) return;
      for (const rule of RULES) if (rule.test(line, file)) problems.push({ file, line: i + 1, rule: rule.id, fix: rule.fix });
    });
  }
  return problems;
}

/** Dependencies must be pinned exactly so every fork synthesizes the same plan. */
function lintPackageJson(pkg) {
  const problems = [];
  for (const section of ["dependencies", "devDependencies"]) {
    for (const [name, range] of Object.entries(pkg[section] ?? {})) {
      if (!/^\d+\.\d+\.\d+$/.test(range)) {
        problems.push({ file: "package.json", line: 0, rule: "exact-pins", fix: `pin ${name} to an exact version instead of '${range}'` });
      }
    }
  }
  return problems;
}

function collect(dir, out) {
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) collect(rel, out);
    else if (/\.ts$/.test(e.name) && !e.name.endsWith(".d.ts")) out[rel] = fs.readFileSync(path.join(ROOT, rel), "utf8");
  }
  return out;
}

if (require.main === module) {
  const files = { "main.ts": fs.readFileSync(path.join(ROOT, "main.ts"), "utf8") };
  for (const d of SOURCE_DIRS) if (fs.existsSync(path.join(ROOT, d))) collect(d, files);
  const problems = [...lintSources(files), ...lintPackageJson(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")))];
  for (const p of problems) console.error(`${p.file}:${p.line} [${p.rule}] ${p.fix}`);
  console.log(`lint: ${Object.keys(files).length} files, ${problems.length} problem(s)`);
  process.exit(problems.length ? 1 : 0);
}

module.exports = { lintSources, lintPackageJson, RULES };
