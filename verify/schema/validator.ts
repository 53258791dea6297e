/**
 * Offline validation of synthesized `cdk.tf.json` against provider schemas in the
 * `terraform providers schema -json` format. It exists because CI has no terraform binary or
 * registry access (see docs/schema-validation.md); `terraform validate` runs in users' CI.
 */
import * as fs from "fs";
import * as path from "path";
import { scanExpressions, hasExpression, RefChain } from "./expressions";
import { editDistance } from "../../modules/common/edit-distance";

export interface SchemaIssue {
  severity: "error" | "warning";
  path: string;
  message: string;
}

/** A Terraform type constraint as JSON: "string" | ["list", T] | ["object", {…}] | … */
export type TypeExpr = string | [string, ...unknown[]];

export interface SchemaAttribute {
  type?: TypeExpr;
  nested_type?: NestedType;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  deprecated?: boolean;
  sensitive?: boolean;
  write_only?: boolean;
  description?: string;
}

export interface NestedType {
  attributes: Record<string, SchemaAttribute>;
  nesting_mode: "single" | "list" | "set" | "map";
  min_items?: number;
  max_items?: number;
}

export interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, SchemaBlockType>;
  deprecated?: boolean;
}

export interface SchemaBlockType {
  nesting_mode: "single" | "group" | "list" | "set" | "map";
  block: SchemaBlock;
  min_items?: number;
  max_items?: number;
}

export interface ProviderSchema {
  provider?: { version?: number; block: SchemaBlock };
  resource_schemas?: Record<string, { version?: number; block: SchemaBlock }>;
  data_source_schemas?: Record<string, { version?: number; block: SchemaBlock }>;
}

export interface ProviderSchemas {
  /** Keyed by full provider address, e.g. `registry.terraform.io/hashicorp/azurerm`. */
  provider_schemas: Record<string, ProviderSchema>;
  /** Provider address → version, taken from the file names (`<name>-<version>[.subset].json`). */
  versions: Record<string, string>;
}

// From the source file (jest, ts-node) the project root is two levels up; from the compiled
// dist/verify/schema/validator.js (`npm run build`) it is three.
const DEFAULT_SCHEMA_DIR =
  [path.join(__dirname, "../../schemas"), path.join(__dirname, "../../../schemas")].find((d) => fs.existsSync(path.join(d, "types.json"))) ??
  path.join(__dirname, "../../schemas");
const REFRESH_HINT = "add it to schemas/types.json and run `node scripts/refresh-schemas.js`";

/**
 * Loads every `<name>-<version>.subset.json` (or full `<name>-<version>.json`) in `dir`,
 * so the same call also works on full schemas: the output of `terraform providers schema -json`
 * for the pinned providers, saved as `<name>-<version>.json` (any directory).
 */
export function loadProjectSchemas(dir: string = DEFAULT_SCHEMA_DIR): ProviderSchemas {
  const out: ProviderSchemas = { provider_schemas: {}, versions: {} };
  for (const file of fs.readdirSync(dir).sort()) {
    const m = /^[a-z0-9_-]+?-(\d+\.\d+\.\d+[^/]*?)(?:\.subset)?\.json$/.exec(file);
    if (!m) continue;
    const doc = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
    for (const [addr, schema] of Object.entries<ProviderSchema>(doc.provider_schemas ?? {})) {
      out.provider_schemas[addr] = schema;
      out.versions[addr] = m[1];
    }
  }
  if (Object.keys(out.provider_schemas).length === 0) throw new Error(`no provider schema files in ${dir}`);
  return out;
}

// Terraform's built-in provider is not in `providers schema -json` for these stacks, so its two
// schemas are written here (terraform 1.x, internal/builtin/providers/terraform).
const BUILTIN_ADDR = "terraform.io/builtin/terraform";
const BUILTIN: ProviderSchema = {
  provider: { block: {} },
  resource_schemas: {
    terraform_data: {
      block: {
        attributes: {
          id: { type: "string", computed: true },
          input: { type: "dynamic", optional: true },
          output: { type: "dynamic", computed: true },
          triggers_replace: { type: "dynamic", optional: true },
        },
      },
    },
  },
  data_source_schemas: {
    terraform_remote_state: {
      block: {
        attributes: {
          backend: { type: "string", required: true },
          config: { type: "dynamic", optional: true },
          defaults: { type: "dynamic", optional: true },
          outputs: { type: "dynamic", computed: true },
          workspace: { type: "string", optional: true },
        },
      },
    },
  },
};

const TOP_LEVEL = new Set([
  "//",
  "terraform",
  "provider",
  "resource",
  "data",
  "output",
  "locals",
  "variable",
  "module",
  "moved",
  "import",
  "removed",
  "check",
  "ephemeral",
]);
const RESOURCE_META = new Set(["count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection"]);
const DATA_META = new Set(["count", "for_each", "depends_on", "lifecycle", "provider"]);
const PROVIDER_META = new Set(["alias", "version"]);
/** Nested blocks take no meta-arguments but, unlike nested attribute objects, may hold "//" and dynamic. */
const NO_META = new Set<string>();
const LIFECYCLE_KEYS = new Set(["create_before_destroy", "prevent_destroy", "ignore_changes", "replace_triggered_by", "precondition", "postcondition"]);
/** Reference roots that are not resources. */
const NON_RESOURCE_ROOTS = new Set(["each", "count", "path", "terraform", "self", "provider"]);

type Json = unknown;
type Obj = Record<string, Json>;
type Kind = "resource" | "data";

const isObj = (v: Json): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
/** HCL JSON allows a single object or an array of objects in most places; cdktf uses both. */
const items = (v: Json): Json[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const describe = (v: Json): string =>
  v === null
    ? "null"
    : Array.isArray(v)
      ? "an array"
      : typeof v === "object"
        ? "an object"
        : typeof v === "string"
          ? JSON.stringify(v)
          : `${typeof v} ${String(v)}`;

function typeName(t: TypeExpr | undefined): string {
  if (t === undefined) return "unknown";
  if (typeof t === "string") return t;
  const [kind, arg] = t;
  if (kind === "object") return "object";
  if (kind === "tuple") return "tuple";
  return `${kind}(${typeName(arg as TypeExpr)})`;
}

/** " (did you mean 'x'?)" for the closest candidate within a length-scaled edit distance, else "". */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const limit = name.length <= 4 ? 1 : name.length <= 9 ? 2 : 3;
  let best: string | undefined;
  let bestD = limit + 1;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best === undefined ? "" : ` (did you mean '${best}'?)`;
}

/** Registry source → full address: "azurerm" → registry.terraform.io/hashicorp/azurerm. */
function normalizeSource(source: string): string {
  const parts = source.toLowerCase().split("/");
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${parts.join("/")}`;
  return parts.join("/");
}

const NUMBER_RE = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

export function validateTerraformJson(doc: unknown, schemas: ProviderSchemas): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const error = (p: string, message: string): void => void issues.push({ severity: "error", path: p, message });
  const warn = (p: string, message: string): void => void issues.push({ severity: "warning", path: p, message });
  if (!isObj(doc)) return [{ severity: "error", path: "", message: "document is not a JSON object" }];

  const providerSchemas: Record<string, ProviderSchema> = { [BUILTIN_ADDR]: BUILTIN, ...schemas.provider_schemas };

  for (const key of Object.keys(doc)) if (!TOP_LEVEL.has(key)) error(key, `unknown top-level section '${key}'${didYouMean(key, TOP_LEVEL)}`);

  // --- provider local names → addresses (terraform.required_providers, else hashicorp/<name>) ---
  const localToAddr = new Map<string, string>([["terraform", BUILTIN_ADDR]]);
  for (const terraform of items(doc.terraform)) {
    if (!isObj(terraform)) continue;
    for (const rp of items(terraform.required_providers)) {
      if (!isObj(rp)) continue;
      for (const [local, req] of Object.entries(rp)) {
        const source = isObj(req) && typeof req.source === "string" ? req.source : local;
        const addr = normalizeSource(source);
        localToAddr.set(local, addr);
        const pinned = isObj(req) && typeof req.version === "string" ? /^\s*=?\s*v?(\d+\.\d+\.\d+)\s*$/.exec(req.version)?.[1] : undefined;
        const have = schemas.versions[addr];
        if (pinned && have && pinned !== have)
          warn(
            `terraform.required_providers.${local}.version`,
            `the stack pins ${addr} ${pinned} but the loaded schema is ${have}; bump the version in schemas/types.json and run \`node scripts/refresh-schemas.js\``,
          );
      }
    }
  }
  const addrOf = (local: string) => localToAddr.get(local) ?? `registry.terraform.io/hashicorp/${local}`;
  const knownLocals = new Set([...localToAddr.keys(), ...Object.keys(providerSchemas).map((a) => a.split("/").pop()!)]);

  // --- declarations, needed before any reference can be checked ---
  const declared: Record<Kind, Map<string, Map<string, Obj>>> = { resource: new Map(), data: new Map() };
  for (const kind of ["resource", "data"] as const) {
    for (const section of items(doc[kind])) {
      if (!isObj(section)) {
        error(kind, `'${kind}' must be an object keyed by type`);
        continue;
      }
      for (const [type, byName] of Object.entries(section)) {
        for (const group of items(byName)) {
          if (!isObj(group)) {
            error(`${kind}.${type}`, `expected an object keyed by ${kind} name, got ${describe(group)}`);
            continue;
          }
          const names = declared[kind].get(type) ?? new Map<string, Obj>();
          declared[kind].set(type, names);
          for (const [name, body] of Object.entries(group)) {
            if (isObj(body)) names.set(name, body);
            else error(`${kind}.${type}.${name}`, `expected an object, got ${describe(body)}`);
          }
        }
      }
    }
  }
  const sectionNames = (v: Json) => new Set(items(v).flatMap((o) => (isObj(o) ? Object.keys(o) : [])));
  const variables = sectionNames(doc.variable);
  const locals = sectionNames(doc.locals);
  const modules = sectionNames(doc.module);

  const lookupSchema = (kind: Kind, type: string, local: string): SchemaBlock | undefined => {
    const ps = providerSchemas[addrOf(local)];
    return (kind === "resource" ? ps?.resource_schemas : ps?.data_source_schemas)?.[type]?.block;
  };
  const providerOf = (type: string, body: Obj): string =>
    typeof body.provider === "string" ? stripInterpolation(body.provider).split(".")[0] : type.split("_")[0];

  // --- references inside "${…}" ---
  const checkRef = (chain: RefChain, p: string, locallyBound: ReadonlySet<string>) => {
    const { root, steps, text } = chain;
    const attrName = (i: number) => (steps[i]?.kind === "attr" ? steps[i].name : undefined);
    const where = `reference \${${text}}`;
    if (root === "var") {
      const n = attrName(0);
      if (n && !variables.has(n)) error(p, `${where}: variable '${n}' is not declared${didYouMean(n, variables)}`);
      return;
    }
    if (root === "local") {
      const n = attrName(0);
      if (n && !locals.has(n)) error(p, `${where}: local value '${n}' is not declared${didYouMean(n, locals)}`);
      return;
    }
    if (root === "module") {
      const n = attrName(0);
      if (n && !modules.has(n)) error(p, `${where}: module '${n}' is not declared${didYouMean(n, modules)}`);
      return;
    }
    let kind: Kind = "resource";
    let type = root;
    let rest = steps;
    if (root === "data") {
      const t = attrName(0);
      if (!t) return;
      [kind, type, rest] = ["data", t, steps.slice(1)];
    } else if (NON_RESOURCE_ROOTS.has(root) || locallyBound.has(root) || !root.includes("_") || !knownLocals.has(root.split("_")[0])) {
      return; // iterator symbols, for-expression variables, function-local names
    }
    const name = rest[0]?.kind === "attr" ? rest[0].name : undefined;
    if (!name) return;
    const label = kind === "data" ? `data.${type}` : type;
    const body = declared[kind].get(type)?.get(name);
    if (!body) {
      const candidates = [...(declared[kind].get(type)?.keys() ?? [])].map((n) => `${label}.${n}`);
      const hint = didYouMean(`${label}.${name}`, candidates) || (candidates.length && candidates.length <= 3 ? ` (declared: ${candidates.join(", ")})` : "");
      error(p, `${where}: ${label}.${name} is not declared in this stack${hint}; cross-stack values need a TerraformOutput plus a remote-state data source`);
      return;
    }
    const counted = "count" in body || "for_each" in body;
    const next = rest[1];
    if (counted && next?.kind === "attr")
      return void error(
        p,
        `${where}: ${label}.${name} has count/for_each, so the reference needs an instance key (e.g. ${label}.${name}[0].${next.name}) or a splat`,
      );
    if (!counted && next?.kind === "index") return void error(p, `${where}: ${label}.${name} has no count/for_each, so it must not be indexed`);
    const block = lookupSchema(kind, type, providerOf(type, body));
    if (!block) return; // its declaration already reported the missing schema
    const missing = walkPath(block, rest.slice(1), type);
    if (missing) error(p, `${where}: ${missing.owner} has no attribute or block '${missing.name}'${didYouMean(missing.name, missing.candidates)}`);
  };

  // Walks every string below `v`; `bound` holds iterator names of enclosing dynamic blocks.
  const scanRefs = (v: Json, p: string, bound: ReadonlySet<string>): void => {
    if (typeof v === "string") {
      // Leftover cdktf tokens mean a value was stringified outside synthesis; Terraform rejects them.
      if (v.includes("${TfToken["))
        error(
          p,
          `unresolved cdktf token in ${JSON.stringify(v.slice(0, 80))}; resolve it inside the construct tree (e.g. avoid JSON.stringify/String() on tokens)`,
        );
      else if (hasExpression(v)) for (const chain of scanExpressions(v)) checkRef(chain, p, bound);
    } else if (Array.isArray(v)) v.forEach((x, i) => scanRefs(x, `${p}[${i}]`, bound));
    else if (isObj(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === "//") continue;
        if (k === "dynamic" && isObj(x)) {
          for (const [blockName, dyn] of Object.entries(x))
            for (const d of items(dyn)) {
              const it = isObj(d) && typeof d.iterator === "string" ? d.iterator : blockName;
              scanRefs(d, `${p}.dynamic.${blockName}`, new Set([...bound, it]));
            }
        } else scanRefs(x, `${p}.${k}`, bound);
      }
    }
  };

  // --- value checks ---
  const checkType = (t: TypeExpr | undefined, v: Json, p: string): void => {
    if (v === null || t === undefined || t === "dynamic") return;
    if (typeof v === "string" && hasExpression(v)) return; // unknown until plan
    const bad = () => error(p, `expected ${typeName(t)}, got ${describe(v)}`);
    if (t === "string") return void (isObj(v) || Array.isArray(v) ? bad() : undefined);
    if (t === "number") {
      // Terraform converts a numeric string to a number; anything else fails at plan.
      if (typeof v === "number" || (typeof v === "string" && NUMBER_RE.test(v))) return;
      return bad();
    }
    if (t === "bool") {
      // cty converts exactly these strings to bool.
      if (typeof v === "boolean" || (typeof v === "string" && ["true", "false", "1", "0"].includes(v))) return;
      return bad();
    }
    if (!Array.isArray(t)) return;
    const [kind, arg] = t;
    if (kind === "list" || kind === "set") {
      if (!Array.isArray(v)) return bad();
      v.forEach((x, i) => checkType(arg as TypeExpr, x, `${p}[${i}]`));
    } else if (kind === "map") {
      if (!isObj(v)) return bad();
      for (const [k, x] of Object.entries(v)) checkType(arg as TypeExpr, x, `${p}.${k}`);
    } else if (kind === "object") {
      if (!isObj(v)) return bad();
      const attrs = arg as Record<string, TypeExpr>;
      // Missing keys are allowed: SDKv2 "attributes as blocks" are filled with nulls by Terraform.
      for (const [k, x] of Object.entries(v)) {
        if (k in attrs) checkType(attrs[k], x, `${p}.${k}`);
        else error(`${p}.${k}`, `unknown key '${k}'${didYouMean(k, Object.keys(attrs))}`);
      }
    } else if (kind === "tuple") {
      const elems = arg as TypeExpr[];
      if (!Array.isArray(v) || v.length !== elems.length) return bad();
      v.forEach((x, i) => checkType(elems[i], x, `${p}[${i}]`));
    }
  };

  const checkNestedType = (nt: NestedType, v: Json, p: string): void => {
    if (typeof v === "string" && hasExpression(v)) return;
    const shape = nt.nesting_mode === "single" ? "an object" : nt.nesting_mode === "map" ? "a map of objects" : `a ${nt.nesting_mode} (JSON array) of objects`;
    const bad = () => error(p, `expected ${shape} (nested attribute, ${nt.nesting_mode} nesting), got ${describe(v)}`);
    if (nt.nesting_mode === "single") return isObj(v) ? checkBody({ attributes: nt.attributes }, v, p, null) : bad();
    const elems: [Json, string][] = [];
    if (nt.nesting_mode === "map") {
      if (!isObj(v)) return bad();
      for (const [k, x] of Object.entries(v)) elems.push([x, `${p}.${k}`]);
    } else {
      if (!Array.isArray(v)) return bad();
      v.forEach((x, i) => elems.push([x, `${p}[${i}]`]));
    }
    checkCount(elems.length, nt.min_items, nt.max_items, p, "elements");
    for (const [x, xp] of elems) {
      if (x === null || (typeof x === "string" && hasExpression(x))) continue;
      if (isObj(x)) checkBody({ attributes: nt.attributes }, x, xp, null);
      else error(xp, `expected an object, got ${describe(x)}`);
    }
  };

  const checkCount = (n: number, min: number | undefined, max: number | undefined, p: string, what: string) => {
    if (min && n < min) error(p, `at least ${min} ${what} required, got ${n}`);
    if (max && n > max) error(p, `at most ${max} ${what} allowed, got ${n}; merge them into one`);
  };

  const checkAttribute = (name: string, a: SchemaAttribute, v: Json, p: string) => {
    if (v === null) return; // null means "unset"; required-ness is checked by the parent
    if (a.computed && !a.optional && !a.required)
      return void error(p, `'${name}' is computed (read-only) and cannot be set; remove it and reference it instead`);
    if (a.deprecated) warn(p, `'${name}' is deprecated; move to its replacement (see the provider docs) before the next major version`);
    if (a.nested_type) checkNestedType(a.nested_type, v, p);
    else checkType(a.type, v, p);
  };

  /** `alsoDynamic`: a dynamic block of the same name adds an unknown number of entries. */
  const checkBlockType = (name: string, bt: SchemaBlockType, v: Json, p: string, alsoDynamic: boolean) => {
    if (bt.block.deprecated) warn(p, `block '${name}' is deprecated; move to its replacement (see the provider docs)`);
    const entries: [Json, string][] = [];
    if (bt.nesting_mode === "map") {
      if (!isObj(v)) return void error(p, `expected an object keyed by label for block '${name}', got ${describe(v)}`);
      for (const [k, x] of Object.entries(v)) for (const y of items(x)) entries.push([y, `${p}.${k}`]);
    } else if (Array.isArray(v)) v.forEach((x, i) => entries.push([x, `${p}[${i}]`]));
    else if (v !== null) entries.push([v, p]); // cdktf writes MaxItems=1 blocks as a bare object
    const max = bt.nesting_mode === "single" || bt.nesting_mode === "group" ? 1 : bt.max_items;
    checkCount(entries.length, alsoDynamic ? undefined : bt.min_items, max, p, `'${name}' blocks`);
    for (const [x, xp] of entries) {
      if (isObj(x)) checkBody(bt.block, x, xp, NO_META);
      else error(xp, `block '${name}' must be an object, got ${describe(x)}`);
    }
  };

  /** Checks a block body; `meta` lists the meta-arguments allowed here (null: a nested attribute object). */
  const checkBody = (block: SchemaBlock, body: Obj, p: string, meta: ReadonlySet<string> | null, owner?: string): void => {
    const attrs = block.attributes ?? {};
    const blocks = block.block_types ?? {};
    const dynamicNames = new Set(meta && isObj(body.dynamic) ? Object.keys(body.dynamic) : []);
    for (const [k, v] of Object.entries(body)) {
      const kp = `${p}.${k}`;
      if (k in attrs) checkAttribute(k, attrs[k], v, kp);
      else if (k in blocks) checkBlockType(k, blocks[k], v, kp, dynamicNames.has(k));
      else if (k === "//" && meta)
        continue; // HCL JSON comment; cdktf puts its metadata here
      else if (k === "dynamic" && meta) checkDynamic(block, v, kp);
      else if (meta?.has(k))
        continue; // meta-arguments are checked by checkMeta
      else {
        const settable = [...Object.keys(attrs).filter((n) => attrs[n].optional || attrs[n].required), ...Object.keys(blocks)];
        error(kp, `unknown argument '${k}'${didYouMean(k, settable) || (owner ? ` (not in the ${owner} schema)` : "")}`);
      }
    }
    for (const [n, a] of Object.entries(attrs))
      if (a.required && (body[n] === undefined || body[n] === null))
        error(`${p}.${n}`, `missing required argument '${n}'${body[n] === null ? " (it is null; Terraform treats null as unset)" : ""}`);
    for (const [n, bt] of Object.entries(blocks))
      if (bt.min_items && body[n] === undefined && !dynamicNames.has(n)) error(`${p}.${n}`, `missing required block '${n}' (at least ${bt.min_items})`);
  };

  const checkDynamic = (block: SchemaBlock, v: Json, p: string) => {
    if (!isObj(v)) return void error(p, `'dynamic' must be an object keyed by block name, got ${describe(v)}`);
    for (const [name, specs] of Object.entries(v)) {
      const bt = block.block_types?.[name];
      const attr = block.attributes?.[name];
      // Terraform also accepts dynamic blocks for SDKv2 attributes-as-blocks (list/set of object).
      const attrElem = attr && Array.isArray(attr.type) && (attr.type[0] === "list" || attr.type[0] === "set") ? (attr.type[1] as TypeExpr) : undefined;
      if (!bt && !(Array.isArray(attrElem) && attrElem[0] === "object")) {
        error(`${p}.${name}`, `dynamic block '${name}' is not a block of this schema${didYouMean(name, Object.keys(block.block_types ?? {}))}`);
        continue;
      }
      for (const spec of items(specs)) {
        if (!isObj(spec)) continue;
        for (const k of Object.keys(spec))
          if (!["for_each", "iterator", "labels", "content"].includes(k)) error(`${p}.${name}.${k}`, `unknown dynamic-block argument '${k}'`);
        if (spec.for_each === undefined) error(`${p}.${name}.for_each`, "dynamic block needs 'for_each'");
        if (!isObj(spec.content)) error(`${p}.${name}.content`, "dynamic block needs a 'content' object");
        else if (bt) checkBody(bt.block, spec.content, `${p}.${name}.content`, NO_META);
        else checkType(attrElem, spec.content, `${p}.${name}.content`);
      }
    }
  };

  const checkMeta = (block: SchemaBlock, body: Obj, p: string) => {
    if ("count" in body && "for_each" in body) error(`${p}.count`, "'count' and 'for_each' cannot both be set");
    for (const dep of items(body.depends_on)) {
      if (typeof dep !== "string") continue;
      const parts = stripInterpolation(dep).split(".");
      const [kind, type, name]: [Kind, string, string] = parts[0] === "data" ? ["data", parts[1], parts[2]] : ["resource", parts[0], parts[1]];
      if (parts[0] === "module" ? !modules.has(parts[1]) : !declared[kind].get(type)?.has(name))
        error(`${p}.depends_on`, `depends_on '${dep}' does not name a resource, data source or module declared in this stack`);
    }
    const lifecycle = body.lifecycle;
    if (lifecycle === undefined) return;
    if (!isObj(lifecycle)) return void error(`${p}.lifecycle`, `expected an object, got ${describe(lifecycle)}`);
    for (const k of Object.keys(lifecycle))
      if (!LIFECYCLE_KEYS.has(k)) error(`${p}.lifecycle.${k}`, `unknown lifecycle argument '${k}'${didYouMean(k, LIFECYCLE_KEYS)}`);
    const ignore = lifecycle.ignore_changes;
    if (!Array.isArray(ignore)) return; // "all" or an expression
    const names = new Set([...Object.keys(block.attributes ?? {}), ...Object.keys(block.block_types ?? {})]);
    ignore.forEach((entry, i) => {
      if (typeof entry !== "string") return;
      const first = stripInterpolation(entry).split(/[.[]/)[0];
      if (!names.has(first))
        error(
          `${p}.lifecycle.ignore_changes[${i}]`,
          `ignore_changes names '${first}', which is not an attribute or block of this resource${didYouMean(first, names)}`,
        );
    });
  };

  // --- providers: configured blocks, plus the implicit empty config of used-but-unconfigured ones ---
  const configured = new Set<string>();
  for (const section of items(doc.provider)) {
    if (!isObj(section)) continue;
    for (const [local, configs] of Object.entries(section)) {
      items(configs).forEach((cfg, i, all) => {
        const p = all.length > 1 || Array.isArray(configs) ? `provider.${local}[${i}]` : `provider.${local}`;
        if (!isObj(cfg)) return void error(p, `expected an object, got ${describe(cfg)}`);
        configured.add(typeof cfg.alias === "string" ? `${local}.${cfg.alias}` : local);
        const schema = providerSchemas[addrOf(local)];
        if (!schema)
          return void error(p, `no schema loaded for provider ${addrOf(local)}; add it to schemas/types.json and run \`node scripts/refresh-schemas.js\``);
        checkBody(schema.provider?.block ?? {}, cfg, p, PROVIDER_META, `${local} provider`);
        scanRefs(cfg, p, new Set());
      });
    }
  }

  // --- resources and data sources ---
  const usedLocals = new Set<string>();
  for (const kind of ["resource", "data"] as const) {
    for (const [type, names] of declared[kind]) {
      for (const [name, body] of names) {
        const p = `${kind}.${type}.${name}`;
        const local = providerOf(type, body);
        if (typeof body.provider === "string") {
          const ref = stripInterpolation(body.provider);
          if (!configured.has(ref))
            error(`${p}.provider`, `provider configuration '${ref}' is not declared in the 'provider' section${didYouMean(ref, configured)}`);
        } else usedLocals.add(local);
        const addr = addrOf(local);
        const ps = providerSchemas[addr];
        const block = lookupSchema(kind, type, local);
        scanRefs(body, p, new Set());
        if (!block) {
          const known = Object.keys((kind === "resource" ? ps?.resource_schemas : ps?.data_source_schemas) ?? {});
          const what = kind === "resource" ? "resource type" : "data source type";
          const version = schemas.versions[addr] ? ` ${schemas.versions[addr]}` : "";
          error(
            p,
            ps
              ? `${what} '${type}' is not in the loaded schema of ${addr}${version}${didYouMean(type, known)}; if it exists, ${REFRESH_HINT}`
              : `no schema loaded for provider ${addr} (needed by '${type}'); ${REFRESH_HINT}`,
          );
          continue;
        }
        checkBody(block, body, p, kind === "resource" ? RESOURCE_META : DATA_META, type);
        checkMeta(block, body, p);
      }
    }
  }
  for (const local of usedLocals) {
    const schema = providerSchemas[addrOf(local)];
    if (!configured.has(local) && schema?.provider)
      checkBody(schema.provider.block, {}, `provider.${local}`, PROVIDER_META, `${local} provider (implicit empty configuration)`);
  }

  // Outputs and locals are not schema-checked, but a broken reference in them fails the plan too.
  for (const o of items(doc.output)) if (isObj(o)) for (const [n, v] of Object.entries(o)) scanRefs(v, `output.${n}`, new Set());
  for (const l of items(doc.locals)) if (isObj(l)) for (const [n, v] of Object.entries(l)) scanRefs(v, `locals.${n}`, new Set());
  return issues;
}

/** One line per issue, errors first, for test failure messages and CLI output. */
export function formatIssues(issues: SchemaIssue[]): string {
  return [...issues]
    .sort((x, y) => (x.severity === y.severity ? 0 : x.severity === "error" ? -1 : 1))
    .map((i) => `${i.severity.padEnd(7)} ${i.path}: ${i.message}`)
    .join("\n");
}

/** "${azurerm.dr}" → "azurerm.dr"; cdktf writes some meta-argument references either way. */
function stripInterpolation(s: string): string {
  const m = /^\$\{(.*)\}$/.exec(s.trim());
  return m ? m[1].trim() : s.trim();
}

/**
 * Follows attribute/block names of a reference through a schema. Index and splat steps are
 * skipped (they select elements, not names); map and dynamic values end the walk.
 */
function walkPath(block: SchemaBlock, steps: RefChain["steps"], owner: string): { owner: string; name: string; candidates: string[] } | undefined {
  let cur: { block?: SchemaBlock; type?: TypeExpr; attrs?: Record<string, SchemaAttribute> } = { block };
  for (const step of steps) {
    if (step.kind !== "attr") continue;
    if (cur.block || cur.attrs) {
      const attrs = cur.attrs ?? cur.block?.attributes ?? {};
      const blocks = cur.block?.block_types ?? {};
      if (step.name in attrs) {
        const a = attrs[step.name];
        cur = a.nested_type ? { attrs: a.nested_type.attributes } : { type: a.type };
      } else if (step.name in blocks) cur = { block: blocks[step.name].block };
      else return { owner, name: step.name, candidates: [...Object.keys(attrs), ...Object.keys(blocks)] };
    } else {
      let t = cur.type;
      while (Array.isArray(t) && (t[0] === "list" || t[0] === "set")) t = t[1] as TypeExpr;
      if (!Array.isArray(t) || t[0] !== "object") return undefined; // map, dynamic, primitive: no static names
      const fields = t[1] as Record<string, TypeExpr>;
      if (!(step.name in fields)) return { owner, name: step.name, candidates: Object.keys(fields) };
      cur = { type: fields[step.name] };
    }
    owner = `'${step.name}'`;
  }
  return undefined;
}
