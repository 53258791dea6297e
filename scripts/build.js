#!/usr/bin/env node
/*
 * `npm run build`: tsc. When tsc rejects an environment file (config/environments/<name>.ts), that file is
 * loaded without type-checking and run through the config check, so the mistake reads as `npm run synth`
 * reports it (field, value received, fix) instead of TypeScript's type names. What the check does not explain
 * is printed as tsc wrote it, and diagnostics in other files pass through unchanged. Exits 1 on any error.
 * tsc runs with --pretty false (one line per diagnostic, as in CI logs) so its output can be split by file;
 * `npm run typecheck` still shows tsc's own terminal format. `explainBuildFailure` is exported for tests.
 */
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
// tsc --pretty false: `file(line,col): error TSnnnn: text`, continuation lines indented; files without a position have no `(...)`.
const DIAGNOSTIC_START = /^(?:\S.*\(\d+,\d+\): )?(?:error|warning|message) TS\d+: /;
const ENVIRONMENT_DIAGNOSTIC = /^(config\/environments\/([a-z][a-z0-9-]*)\.ts)\((\d+),(\d+)\): /;

/** tsc's plain output as one string per diagnostic (its first line and continuation lines). */
function splitDiagnostics(output) {
  const diagnostics = [];
  for (const line of output.split(/\r?\n/)) {
    if (line === "") continue;
    if (DIAGNOSTIC_START.test(line) || diagnostics.length === 0) diagnostics.push(line);
    else diagnostics[diagnostics.length - 1] += `\n${line}`;
  }
  return diagnostics;
}

/**
 * Loads TypeScript sources as CommonJS, transpiled without type-checking (tsc has just refused them): with swc,
 * which the tests already use, as TypeScript's own transpiler takes about a second for the config check's files.
 * Relative imports load through it; packages come from this repository's node_modules. Each file loads once per process.
 */
const loaded = new Map();
function load(file) {
  if (loaded.has(file)) return loaded.get(file).exports;
  const mod = { exports: {} };
  loaded.set(file, mod);
  try {
    evaluate(file, mod);
  } catch (err) {
    loaded.delete(file);
    throw err;
  }
  return mod.exports;
}

function evaluate(file, mod) {
  const text = fs.readFileSync(file, "utf8");
  if (file.endsWith(".json")) {
    mod.exports = JSON.parse(text);
    return;
  }
  const options = {
    filename: file,
    swcrc: false,
    configFile: false,
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    module: { type: "commonjs" },
  };
  const js = require("@swc/core").transformSync(text, options).code;
  const dir = path.dirname(file);
  const localRequire = (spec) => {
    if (!spec.startsWith(".")) return require(spec);
    const base = path.resolve(dir, spec);
    const found = [base, `${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    if (!found) throw new Error(`cannot find '${spec}' from ${path.relative(ROOT, file)}`);
    return load(found);
  };
  new Function("exports", "require", "module", "__filename", "__dirname", `${js}\n//# sourceURL=${file}`)(mod.exports, localRequire, mod, file, dir);
}

/** The config field (as the config check names it) at a line and column of an environment file; undefined outside the config object. */
function fieldAt(ts, sourceFile, line, column) {
  const pos = sourceFile.getPositionOfLineAndCharacter(line - 1, column - 1);
  let node = sourceFile;
  for (let inner; (inner = node.getChildren(sourceFile).find((c) => c.getStart(sourceFile) <= pos && pos < c.getEnd()));) node = inner;
  const keys = [];
  for (; node !== sourceFile; node = node.parent) {
    if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) keys.unshift(node.name.text ?? node.name.getText(sourceFile));
    else if (ts.isArrayLiteralExpression(node.parent)) keys.unshift(node.parent.elements.indexOf(node));
    if (ts.isVariableDeclaration(node) || ts.isExportAssignment(node)) {
      return keys.reduce((acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), "") || "(root)";
    }
  }
  return undefined;
}

/** Whether a config-check problem is the mistake tsc reports at `field`. */
function explains(problem, field) {
  const f = problem.field;
  // The same field; or tsc names an object missing a property, the check the property itself.
  if (f === field || field === "(root)" || f.startsWith(`${field}.`) || f.startsWith(`${field}[`)) return true;
  // An unknown key: tsc names the key, the check names its object and quotes the key.
  const m = /^(?:(.*)\.)?([^.[\]]+)$/.exec(field);
  return m !== null && (m[1] ?? "(root)") === f && problem.message.includes(`'${m[2]}'`);
}

/** The report for one environment file tsc refused: the config check's, then whatever tsc said that it does not explain. */
function explainEnvironment(ts, root, file, name, diagnostics) {
  const { ConfigError, exportedConfig, parseConfig } = load(path.join(ROOT, "config", "load.ts"));
  const tscText = diagnostics.map((d) => d.text).join("\n");
  let error;
  try {
    parseConfig(name, exportedConfig(load(path.join(root, file)), file));
  } catch (err) {
    if (!(err instanceof ConfigError)) return `${file} could not be loaded for the config check (${err.message}); TypeScript reports:\n${tscText}`;
    error = err;
  }
  if (!error) return `${file} passes the config check but does not compile; TypeScript reports:\n${tscText}`;
  const sourceFile = ts.createSourceFile(file, fs.readFileSync(path.join(root, file), "utf8"), ts.ScriptTarget.ES2022, true);
  const rest = diagnostics.filter((d) => {
    const field = fieldAt(ts, sourceFile, d.line, d.column);
    return field === undefined || !error.problems.some((p) => explains(p, field));
  });
  return rest.length === 0 ? error.message : `${error.message}\nTypeScript also reports, in ${file}:\n${rest.map((d) => d.text).join("\n")}`;
}

/**
 * What the build prints for tsc's plain output (`--pretty false`): `stdout` holds tsc's diagnostics for files
 * outside config/environments unchanged, `stderr` one report per environment file tsc refused.
 * @param {string} tscOutput
 * @param {{root?: string}} [options] where the environment files are (the config check always comes from this repository)
 * @returns {{stdout: string, stderr: string}}
 */
function explainBuildFailure(tscOutput, { root = ROOT } = {}) {
  const ts = require("typescript");
  const others = [];
  const environments = new Map();
  for (const text of splitDiagnostics(tscOutput)) {
    const m = ENVIRONMENT_DIAGNOSTIC.exec(text);
    if (!m) others.push(text);
    else environments.set(m[1], [...(environments.get(m[1]) ?? []), { text, line: Number(m[3]), column: Number(m[4]), name: m[2] }]);
  }
  const reports = [...environments].map(([file, diagnostics]) => explainEnvironment(ts, root, file, diagnostics[0].name, diagnostics));
  const lines = (list) => list.map((t) => `${t}\n`).join("");
  return { stdout: lines(others), stderr: lines(reports) };
}

/**
 * Removes the compiled output of environment files that no longer exist: tsc never deletes outputs, and
 * config/index.ts discovers environments from dist/, so a deleted environment would otherwise live on (and,
 * with the same `environment` value as its replacement, fail the next synth as a duplicate).
 */
function removeOrphanedEnvironmentOutputs(root) {
  const dist = path.join(root, "dist", "config", "environments");
  if (!fs.existsSync(dist)) return [];
  const removed = [];
  for (const file of fs.readdirSync(dist)) {
    const base = file.replace(/\.(js|d\.ts)(\.map)?$/, "");
    if (base === file || fs.existsSync(path.join(root, "config", "environments", `${base}.ts`))) continue;
    fs.rmSync(path.join(dist, file));
    removed.push(file);
  }
  return removed;
}

if (require.main === module) {
  removeOrphanedEnvironmentOutputs(ROOT);
  const r = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json", "--pretty", "false"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stderr.write(r.stderr ?? "");
  if (r.error || r.status !== 0) {
    let report = { stdout: r.stdout ?? "", stderr: r.error ? `build: tsc did not run: ${r.error.message}\n` : "" };
    try {
      if (!r.error) report = explainBuildFailure(r.stdout);
    } catch (err) {
      // Never hide tsc's own output behind a failure of this explanation.
      report.stderr = `build: could not explain tsc's errors (${err instanceof Error ? err.message : String(err)}); tsc's output is above\n`;
    }
    process.stdout.write(report.stdout);
    process.stderr.write(report.stderr);
    process.exit(1);
  }
  process.stdout.write(r.stdout);
}

module.exports = { explainBuildFailure, removeOrphanedEnvironmentOutputs };
