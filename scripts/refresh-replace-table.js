#!/usr/bin/env node
// Regenerates verify/offline-terraform/replace-on-change.json: for every resource type in
// schemas/types.json, the attributes whose change makes the real provider replace the resource.
// Read from the provider sources at the pinned tags:
//   azurerm (SDKv2): `ForceNew: true` in the schema, including shared schema helpers; CustomizeDiff
//     `ForceNewIfChange`/`d.ForceNew` go to "conditional" (listed, not applied: they depend on values);
//   cloudflare, random, tls (plugin framework): `RequiresReplace()` / `RequiresReplaceIfConfigured()`
//     plan modifiers; `RequiresReplaceIf*` variants go to "conditional".
//
// Usage (each argument a git clone or mirror of the provider repository; tags are fetched with it):
//   git clone --bare https://github.com/hashicorp/terraform-provider-azurerm     azurerm.git
//   git clone --bare https://github.com/cloudflare/terraform-provider-cloudflare  cloudflare.git
//   git clone --bare https://github.com/hashicorp/terraform-provider-random       random.git
//   git clone --bare https://github.com/hashicorp/terraform-provider-tls          tls.git
//   node scripts/refresh-replace-table.js --azurerm azurerm.git --cloudflare cloudflare.git --random random.git --tls tls.git [--check]
// Plain Node plus git; see docs/offline-plan.md.
"use strict";

const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");

const ROOT = path.join(__dirname, "..");
const TYPES = JSON.parse(fs.readFileSync(path.join(ROOT, "schemas", "types.json"), "utf8"));
const OUT = path.join(ROOT, "verify", "offline-terraform", "replace-on-change.json");
const REPOS = {
  azurerm: "https://github.com/hashicorp/terraform-provider-azurerm",
  cloudflare: "https://github.com/cloudflare/terraform-provider-cloudflare",
  random: "https://github.com/hashicorp/terraform-provider-random",
  tls: "https://github.com/hashicorp/terraform-provider-tls",
};

function fail(msg) {
  console.error(`refresh-replace-table: ${msg}`);
  process.exit(1);
}

function git(dir, ...args) {
  return execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}

/** A read-only view of one tag of a repository. */
function snapshot(dir, tag) {
  const files = new Set(git(dir, "ls-tree", "-r", "--name-only", tag).split("\n").filter(Boolean));
  const cache = new Map();
  return {
    commit: git(dir, "rev-list", "-n", "1", tag).trim(),
    has: (p) => files.has(p),
    list: (prefix) => [...files].filter((f) => f.startsWith(prefix)),
    read: (p) => {
      if (!cache.has(p)) cache.set(p, git(dir, "show", `${tag}:${p}`));
      return cache.get(p);
    },
  };
}

// Tokens that matter for schema structure; comments and raw strings are skipped whole.
const TOKEN =
  /\/\/[^\n]*|\/\*[\s\S]*?\*\/|`[^`]*`|"((?:[^"\\\n]|\\.)*)"\s*:\s*(?:(&?[\w.]*\{)|([A-Za-z_][\w]*)\.([A-Z]\w*)\(\)|([a-z]\w*)\(\))?|"(?:[^"\\\n]|\\.)*"|\{|\}|ForceNew:\s*true|ForceNewIfChange\("([^"]+)"|\.ForceNew\("([^"]+)"\)|\b(RequiresReplace(?:IfConfigured)?)\(\)|\b(RequiresReplaceIf\w*)\(/g;

/**
 * Scans Go source for schema keys and replacement markers. `resolve(pkgAlias, func)` returns the
 * paths (relative, "" = the attribute itself) that a schema helper marks as replace-on-change.
 */
function scan(text, resolve) {
  const stack = [];
  const always = new Set();
  const conditional = new Set();
  const keys = () => stack.filter((k) => k !== null);
  const at = (rel) => [...keys(), ...(rel ? [rel] : [])].join(".");
  for (const m of text.matchAll(TOKEN)) {
    const [tok, key, open, pkg, pkgFunc, localFunc, ifChange, forceNewCall, replace, replaceIf] = m;
    if (tok.startsWith("//") || tok.startsWith("/*") || tok.startsWith("`")) continue;
    if (key !== undefined && open) stack.push(key);
    else if (key !== undefined && (pkgFunc || localFunc)) {
      for (const rel of resolve(pkg ?? "", pkgFunc ?? localFunc)) always.add([...keys(), key, ...(rel ? [rel] : [])].join("."));
    } else if (tok === "{") stack.push(null);
    else if (tok === "}") stack.pop();
    else if (tok.startsWith("ForceNew:") || replace) always.add(at(""));
    else if (ifChange || forceNewCall) conditional.add((ifChange ?? forceNewCall).replace(/\.\d+(?=\.|$)/g, ""));
    else if (replaceIf) conditional.add(at(""));
  }
  return { always, conditional };
}

/** The body of `func name(` in `text`, by brace matching from the brace that ends its line; undefined when absent. */
function funcBody(text, name) {
  const m = new RegExp(`func\\s+(?:\\([^)]*\\)\\s*)?${name}\\s*\\(`).exec(text);
  if (!m) return undefined;
  const open = /\{[ \t]*\n/g;
  open.lastIndex = m.index;
  const start = open.exec(text)?.index;
  if (start === undefined) return undefined;
  let depth = 0;
  for (let j = start; j < text.length; j++) {
    if (text[j] === "{") depth++;
    else if (text[j] === "}" && --depth === 0) return text.slice(start + 1, j);
  }
  return undefined;
}

function azurermTable(snap, types) {
  const commonDir = "vendor/github.com/hashicorp/go-azure-helpers/resourcemanager/commonschema/";
  const common = snap
    .list(commonDir)
    .filter((f) => f.endsWith(".go"))
    .map(snap.read)
    .join("\n");
  const helperCache = new Map();
  const resources = {};
  const conditional = {};
  const serviceFiles = snap.list("internal/services/").filter((f) => f.endsWith(".go") && !f.endsWith("_test.go"));
  for (const type of types) {
    const short = type.replace(/^azurerm_/, "");
    const file = serviceFiles.find((f) => path.basename(f) === `${short}_resource.go`);
    if (!file) fail(`azurerm: no internal/services/*/${short}_resource.go at the pinned tag`);
    const pkgFiles = serviceFiles.filter((f) => path.dirname(f) === path.dirname(file));
    const pkgText = pkgFiles.map(snap.read).join("\n");
    const resolve = (pkg, fn, depth = 0) => {
      const cacheKey = `${pkg || path.dirname(file)}:${fn}`;
      if (helperCache.has(cacheKey)) return helperCache.get(cacheKey);
      helperCache.set(cacheKey, []);
      const body = pkg === "commonschema" ? funcBody(common, fn) : pkg ? undefined : funcBody(pkgText, fn);
      // "" is the attribute itself (a helper such as commonschema.Location() is ForceNew as a whole).
      const out = body && depth < 4 ? [...scan(body, (p, f) => resolve(p, f, depth + 1)).always] : [];
      helperCache.set(cacheKey, out);
      return out;
    };
    const r = scan(snap.read(file), resolve);
    r.always.delete("");
    resources[type] = [...r.always].sort();
    if (r.conditional.size) conditional[type] = [...r.conditional].sort();
  }
  return { resources, conditional };
}

function frameworkTable(snap, types, fileFor) {
  const resources = {};
  const conditional = {};
  for (const type of types) {
    const file = fileFor(type).find((f) => snap.has(f));
    if (!file) fail(`${type}: none of ${fileFor(type).join(", ")} at the pinned tag`);
    const r = scan(snap.read(file), () => []);
    r.always.delete("");
    resources[type] = [...r.always].sort();
    if (r.conditional.size) conditional[type] = [...r.conditional].sort();
  }
  return { resources, conditional };
}

function parseArgs(argv) {
  const opts = { check: false, dirs: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--check") opts.check = true;
    else if (/^--(azurerm|cloudflare|random|tls)$/.test(a)) opts.dirs[a.slice(2)] = argv[++i] ?? fail(`${a} needs a directory`);
    else if (a === "--help" || a === "-h") {
      console.log(
        fs
          .readFileSync(__filename, "utf8")
          .split("\n")
          .slice(1, 17)
          .join("\n")
          .replace(/^\/\/ ?/gm, ""),
      );
      process.exit(0);
    } else fail(`unknown option ${a} (try --help)`);
  }
  for (const name of Object.keys(REPOS)) if (!opts.dirs[name]) fail(`--${name} <git dir> is required (clone ${REPOS[name]})`);
  return opts;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const out = {
    "//": "Generated by scripts/refresh-replace-table.js from the provider sources named in 'sources'; do not edit.",
    sources: {},
    resources: {},
    conditional: {},
  };
  for (const [name, p] of Object.entries(TYPES.providers)) {
    const tag = `v${p.version}`;
    const snap = snapshot(opts.dirs[name], tag);
    out.sources[name] = { repository: REPOS[name], tag, commit: snap.commit };
    let t;
    if (name === "azurerm") t = azurermTable(snap, p.resource_types);
    else if (name === "cloudflare") t = frameworkTable(snap, p.resource_types, (ty) => [`internal/services/${ty.replace(/^cloudflare_/, "")}/schema.go`]);
    else t = frameworkTable(snap, p.resource_types, (ty) => [`internal/provider/resource_${ty.replace(new RegExp(`^${name}_`), "")}.go`]);
    Object.assign(out.resources, t.resources);
    Object.assign(out.conditional, t.conditional);
  }
  const text = JSON.stringify(out, null, 2) + "\n";
  const old = fs.existsSync(OUT) ? fs.readFileSync(OUT, "utf8") : null;
  if (opts.check) {
    if (old !== text) fail(`${path.relative(ROOT, OUT)} is out of date; run this script without --check`);
    console.log(`ok    ${path.relative(ROOT, OUT)}`);
    return;
  }
  fs.writeFileSync(OUT, text);
  const n = Object.values(out.resources).reduce((s, v) => s + v.length, 0);
  console.log(
    `${old === text ? "same " : "wrote"} ${path.relative(ROOT, OUT)} (${Object.keys(out.resources).length} resource types, ${n} replace-on-change paths)`,
  );
}

if (require.main === module) main();
module.exports = { scan, funcBody };
