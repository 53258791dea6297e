#!/usr/bin/env node
// Regenerates the provider-schema subsets in schemas/ from schemas/types.json.
// The project validates cdk.tf.json offline against these subsets (verify/schema/validator.ts); the full
// schemas (the output of `terraform providers schema -json` for the pinned providers) are megabytes, so only the used types are kept.
// Usage:
//   node scripts/refresh-schemas.js --from <dir>                  # <dir>/<name>-<version>.json, each a full schema (any directory)
//   node scripts/refresh-schemas.js --from-terraform-json <file>  # `terraform providers schema -json` output of one stack
//   node scripts/refresh-schemas.js --check --from <dir>          # exit 1 if a subset is out of date
//   node scripts/refresh-schemas.js --help                        # this text
// Plain Node, no dependencies.
"use strict";

const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..");
const SCHEMA_DIR = path.join(ROOT, "schemas");
const TYPES_FILE = path.join(SCHEMA_DIR, "types.json");

function fail(msg) {
  console.error(`refresh-schemas: ${msg}`);
  process.exit(1);
}

function parseArgs(argv) {
  const opts = { from: null, tfJson: null, check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--from") opts.from = path.resolve(argv[++i] ?? fail("--from needs a directory"));
    else if (a === "--from-terraform-json") opts.tfJson = path.resolve(argv[++i] ?? fail("--from-terraform-json needs a file"));
    else if (a === "--check") opts.check = true;
    else if (a === "--help" || a === "-h") {
      console.log(
        fs
          .readFileSync(__filename, "utf8")
          .split("\n")
          .slice(4, 9)
          .join("\n")
          .replace(/^\/\/ ?/gm, ""),
      );
      process.exit(0);
    } else fail(`unknown option ${a} (try --help)`);
  }
  if (!opts.from && !opts.tfJson)
    fail(
      "no source schema: pass --from <dir> (files <name>-<version>.json from `terraform providers schema -json` for the pinned providers) or --from-terraform-json <file>",
    );
  return opts;
}

// Sorted keys at every level so regenerated files diff cleanly; array order is meaningful
// (type expressions like ["list","string"]) and is kept.
function sortDeep(v) {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === "object") {
    const out = {};
    for (const k of Object.keys(v).sort()) out[k] = sortDeep(v[k]);
    return out;
  }
  return v;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    return fail(`cannot read ${file}: ${e.message}`);
  }
}

// `terraform providers schema -json` carries no versions, so when a lock file sits beside the
// input we use it to make sure the subset is not labelled with the wrong version.
function lockedVersions(tfJsonFile) {
  const lock = path.join(path.dirname(tfJsonFile), ".terraform.lock.hcl");
  const versions = {};
  if (!fs.existsSync(lock)) return versions;
  const re = /provider\s+"([^"]+)"\s*\{[^}]*?version\s*=\s*"([^"]+)"/g;
  for (const m of fs.readFileSync(lock, "utf8").matchAll(re)) versions[m[1]] = m[2];
  return versions;
}

function pick(all, wanted, kind, name) {
  const missing = wanted.filter((t) => !all || !all[t]);
  if (missing.length) fail(`${name}: ${kind} not found in the source schema: ${missing.join(", ")}`);
  return Object.fromEntries(wanted.map((t) => [t, all[t]]));
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const types = readJson(TYPES_FILE);
  const tfDoc = opts.tfJson ? readJson(opts.tfJson) : null;
  const locked = opts.tfJson ? lockedVersions(opts.tfJson) : {};
  const wanted = new Set();
  let drift = 0;

  for (const [name, p] of Object.entries(types.providers)) {
    const file = `${name}-${p.version}.subset.json`;
    wanted.add(file);
    let full;
    if (tfDoc) {
      full = tfDoc.provider_schemas?.[p.source];
      if (!full) {
        // One stack directory may not use every provider: keep that subset as it is.
        console.log(`skip  ${file}: ${p.source} is not in ${path.basename(opts.tfJson)}`);
        continue;
      }
      if (locked[p.source] && locked[p.source] !== p.version)
        fail(`${p.source} is ${locked[p.source]} in .terraform.lock.hcl but ${p.version} in schemas/types.json`);
    } else {
      const src = path.join(opts.from, `${name}-${p.version}.json`);
      if (!fs.existsSync(src)) fail(`${src} not found (have: ${fs.existsSync(opts.from) ? fs.readdirSync(opts.from).join(", ") : "no such directory"})`);
      full = readJson(src).provider_schemas?.[p.source] ?? fail(`${src} has no provider_schemas["${p.source}"]`);
    }
    const subset = sortDeep({
      format_version: tfDoc?.format_version ?? "1.0",
      provider_schemas: {
        [p.source]: {
          provider: full.provider ?? { version: 0, block: {} },
          resource_schemas: pick(full.resource_schemas, p.resource_types, "resource types", name),
          data_source_schemas: pick(full.data_source_schemas, p.data_source_types, "data source types", name),
          ...(p.ephemeral_resource_types
            ? { ephemeral_resource_schemas: pick(full.ephemeral_resource_schemas, p.ephemeral_resource_types, "ephemeral resource types", name) }
            : {}),
        },
      },
    });
    const text = JSON.stringify(subset, null, 2) + "\n";
    const dest = path.join(SCHEMA_DIR, file);
    const old = fs.existsSync(dest) ? fs.readFileSync(dest, "utf8") : null;
    const summary = `${p.resource_types.length} resources, ${p.data_source_types.length} data sources, ${text.length} bytes`;
    if (opts.check) {
      if (old === text) console.log(`ok    ${file}`);
      else {
        drift++;
        console.log(`stale ${file} (${summary})`);
      }
    } else {
      fs.writeFileSync(dest, text);
      console.log(`${old === text ? "same " : "wrote"} schemas/${file} (${p.source} ${p.version}: ${summary})`);
    }
  }

  // Subsets of providers or versions no longer listed would be loaded by the validator; remove them.
  for (const f of fs.readdirSync(SCHEMA_DIR)) {
    if (!f.endsWith(".subset.json") || wanted.has(f)) continue;
    if (opts.check) {
      drift++;
      console.log(`extra ${f} (not in types.json)`);
    } else {
      fs.unlinkSync(path.join(SCHEMA_DIR, f));
      console.log(`removed schemas/${f}`);
    }
  }
  if (opts.check && drift) fail(`${drift} subset file(s) out of date; run node scripts/refresh-schemas.js`);
}

main();
