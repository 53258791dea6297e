/**
 * Behaviour of the stand-in providers, as pure functions over Terraform values:
 * plan (computed values unknown on create, replacement where the real provider
 * forces it), apply (deterministic IDs and computed values), refresh (fields the
 * cloud rewrites) and data sources (fixtures). The gRPC plumbing is in server.ts.
 */
import { createHash } from "crypto";
import type { SchemaBlock } from "../schema/validator";
import { azureId } from "./azure-ids";
import { blockShape, hasUnknown, isDyn, isObject, sameValue, Shape, UNKNOWN, Value } from "./values";

/** Resource type → dotted attribute paths whose change replaces the resource. */
export type ReplaceTable = Record<string, readonly string[]>;

/** What is wrong with a generated table against schemas/types.json: missing types, versions that differ. */
export function replaceTableProblems(
  types: { providers: Record<string, { version: string; resource_types: string[] }> },
  table: { sources: Record<string, { tag: string }>; resources: ReplaceTable },
): string[] {
  const problems: string[] = [];
  for (const [name, p] of Object.entries(types.providers)) {
    const tag = table.sources[name]?.tag;
    if (tag !== `v${p.version}`) problems.push(`${name}: table read from ${tag ?? "nothing"}, types.json pins v${p.version}`);
    for (const t of p.resource_types) if (!(t in table.resources)) problems.push(`${t}: not in the table`);
  }
  return problems.map((p) => `${p} (run scripts/refresh-replace-table.js, docs/offline-plan.md)`);
}

export function digest(...parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** A path step: attribute name or element index, as Terraform's AttributePath. */
export type PathStep = string | number;

/** Every concrete location of a dotted path in `v` (list and set elements expand to indexes). */
function locate(v: Value, segments: readonly string[], prefix: PathStep[] = []): { path: PathStep[]; value: Value }[] {
  if (segments.length === 0) return [{ path: prefix, value: v }];
  if (Array.isArray(v)) return v.flatMap((e, i) => locate(e, segments, [...prefix, i]));
  if (!isObject(v)) return [{ path: prefix, value: v }];
  const [head, ...rest] = segments;
  if (!(head in v)) return [];
  return locate(v[head], rest, [...prefix, head]);
}

/** Paths from the table whose value differs between prior and planned. */
export function replacePaths(table: ReplaceTable, type: string, prior: Value, planned: Value): PathStep[][] {
  const out: PathStep[][] = [];
  for (const dotted of table[type] ?? []) {
    const segs = dotted.split(".");
    const before = locate(prior, segs);
    const after = locate(planned, segs);
    if (before.length !== after.length) {
      // An element added to or removed from a replace-on-change block.
      out.push(segs);
      continue;
    }
    after.forEach((a, i) => {
      const b = before[i].value;
      const unsetBoth = (b === null || b === "") && (a.value === null || a.value === "");
      if (!unsetBoth && !sameValue(b, a.value)) out.push(a.path);
    });
  }
  return out;
}

/** Marks computed attributes that the config leaves unset as unknown, recursively (a new object). */
function unknownComputed(planned: Value, config: Value, shape: Shape): Value {
  if (shape.kind !== "object" || !isObject(planned)) {
    if ((shape.kind === "list" || shape.kind === "set") && Array.isArray(planned)) {
      const cfg = Array.isArray(config) ? config : [];
      return planned.map((e, i) => unknownComputed(e, cfg[i] ?? null, shape.elem));
    }
    if (shape.kind === "map" && isObject(planned)) {
      const cfg = isObject(config) ? config : {};
      return Object.fromEntries(Object.entries(planned).map(([k, e]) => [k, unknownComputed(e, cfg[k] ?? null, shape.elem)]));
    }
    return planned;
  }
  const cfg = isObject(config) ? config : {};
  const out: Record<string, Value> = {};
  for (const [name, s] of Object.entries(shape.attrs)) {
    const meta = shape.meta?.[name];
    const current = planned[name] ?? null;
    if (meta?.computed && current === null && (cfg[name] ?? null) === null && !meta.write_only) out[name] = UNKNOWN;
    else out[name] = unknownComputed(current, cfg[name] ?? null, s);
  }
  return out;
}

/** Write-only attributes never reach a plan or state: Terraform requires them null in provider responses. */
function dropWriteOnly(v: Value, shape: Shape): Value {
  if (shape.kind !== "object" || !isObject(v)) return v;
  const out: Record<string, Value> = {};
  for (const [name, s] of Object.entries(shape.attrs)) {
    out[name] = shape.meta?.[name]?.write_only ? null : dropWriteOnly(v[name] ?? null, s);
  }
  return out;
}

export interface PlanResult {
  planned: Value;
  requiresReplace: PathStep[][];
}

export function planResource(table: ReplaceTable, type: string, block: SchemaBlock, prior: Value, proposed: Value, config: Value): PlanResult {
  const shape = blockShape(block);
  if (proposed === null) return { planned: null, requiresReplace: [] };
  if (prior === null) return { planned: dropWriteOnly(unknownComputed(proposed, config, shape), shape), requiresReplace: [] };
  const planned = dropWriteOnly(proposed, shape);
  return { planned, requiresReplace: replacePaths(table, type, prior, planned) };
}

/** Deterministic value for an unknown of the given shape at `path` of a resource. */
function fillValue(shape: Shape, seed: string, path: string, ctx: FillContext): Value {
  switch (shape.kind) {
    case "string":
      return ctx.named(path) ?? `offline-${digest(seed, path).slice(0, 12)}`;
    case "number":
      return 0;
    case "bool":
      return false;
    case "list":
    case "set":
      return [];
    case "map":
      return {};
    case "tuple":
      return shape.elems.map((e, i) => fillValue(e, seed, `${path}.${i}`, ctx));
    case "object":
      // Only computed parts get a value: Terraform reads a set optional-only part as "was configured".
      return Object.fromEntries(
        Object.entries(shape.attrs).map(([k, s]) => [k, shape.meta && !shape.meta[k]?.computed ? null : fillValue(s, seed, `${path}.${k}`, ctx)]),
      );
    case "dynamic":
      return null;
  }
}

interface FillContext {
  /** A value known for this attribute path, e.g. the resource ID. */
  named(path: string): string | undefined;
}

function fillUnknowns(v: Value, shape: Shape, seed: string, path: string, ctx: FillContext): Value {
  if (v === UNKNOWN) return fillValue(shape, seed, path, ctx);
  if (v === null || typeof v !== "object" || isDyn(v)) return v;
  if (Array.isArray(v)) {
    const elem = shape.kind === "list" || shape.kind === "set" ? shape.elem : undefined;
    return v.map((e, i) => fillUnknowns(e, shape.kind === "tuple" ? shape.elems[i] : (elem ?? shape), seed, `${path}.${i}`, ctx));
  }
  if (shape.kind === "map") {
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, fillUnknowns(e, shape.elem, seed, `${path}.${k}`, ctx)]));
  }
  if (shape.kind !== "object") return v;
  return Object.fromEntries(Object.entries(shape.attrs).map(([k, s]) => [k, fillUnknowns(v[k] ?? null, s, seed, path ? `${path}.${k}` : k, ctx)]));
}

/** Deterministic ID of a new object: Azure resource IDs for azurerm, hex for Cloudflare, as the real providers shape them. */
export function objectId(type: string, planned: Record<string, Value>, subscriptionId: string, seed: string): string {
  if (type.startsWith("azurerm_")) return azureId(type, planned, subscriptionId, seed);
  if (type.startsWith("cloudflare_")) return digest(type, seed).slice(0, 32);
  if (type === "random_password" || type === "random_string") return "none";
  return digest(type, seed).slice(0, 40);
}

/** Generated values a stand-in handed out, so a run can prove none of them reached state. */
export const generatedSecrets = new Set<string>();

function generatedPassword(seed: string, length: number): string {
  // Deterministic but password-shaped: letters, digits and the specials the blueprint allows.
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.~+";
  const bytes = createHash("sha512").update(seed).digest();
  let out = "Aa2-";
  for (let i = 0; out.length < Math.max(length, 8); i++) out += alphabet[bytes[i % bytes.length] % alphabet.length];
  return out.slice(0, Math.max(length, 8));
}

/** Values the real providers compute from other attributes (rather than opaque strings). */
function derived(type: string, planned: Record<string, Value>, seed: string): Record<string, Value> {
  const name = typeof planned.name === "string" ? planned.name : "";
  switch (type) {
    case "azurerm_mysql_flexible_server":
      return { fqdn: `${name}.mysql.database.azure.com` };
    case "azurerm_key_vault":
      return { vault_uri: `https://${name}.vault.azure.net/` };
    case "azurerm_public_ip":
      return { ip_address: `203.0.113.${(parseInt(digest(seed).slice(0, 2), 16) % 250) + 1}` };
    case "azurerm_user_assigned_identity":
      return { principal_id: uuidOf(seed, "principal"), client_id: uuidOf(seed, "client"), tenant_id: uuidOf(seed, "tenant") };
    case "random_password":
    case "random_string": {
      const result = generatedPassword(seed, Number(planned.length ?? 16));
      generatedSecrets.add(result);
      return { result, bcrypt_hash: `offline-bcrypt-${digest(result).slice(0, 20)}` };
    }
    case "tls_private_key":
      return { private_key_pem: `offline private key ${digest(seed).slice(0, 24)}`, public_key_pem: `offline public key ${digest(seed).slice(24, 48)}` };
    default:
      return {};
  }
}

export function uuidOf(...parts: string[]): string {
  const h = digest(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Apply: a deleted object is null; unknowns become deterministic values. */
export function applyResource(type: string, block: SchemaBlock, planned: Value, subscriptionId: string): Value {
  if (planned === null || !isObject(planned)) return null;
  const shape = blockShape(block);
  const known = Object.fromEntries(Object.entries(planned).filter(([, v]) => !hasUnknown(v)));
  const seed = digest(type, known);
  const id = planned.id === UNKNOWN ? objectId(type, planned, subscriptionId, seed) : String(planned.id ?? "");
  const extra = derived(type, planned, seed);
  const ctx: FillContext = { named: (p) => (p === "id" ? id : typeof extra[p] === "string" ? (extra[p] as string) : undefined) };
  const filled = fillUnknowns(planned, shape, seed, "", ctx) as Record<string, Value>;
  return dropWriteOnly(filled, shape);
}

/**
 * Refresh: what the cloud reads back. Rules are keyed by type; each returns the
 * attributes it rewrites. After a replica is promoted, Azure no longer reports
 * a source server and the provider reads create_mode back empty
 * (https://learn.microsoft.com/azure/mysql/flexible-server/concepts-read-replicas#promote-replicas).
 */
export const READ_BACK: Record<string, (state: Record<string, Value>) => Record<string, Value>> = {
  azurerm_mysql_flexible_server: (s): Record<string, Value> =>
    s.replication_role === "None" && s.source_server_id ? { source_server_id: "", create_mode: "" } : {},
};

export function readResource(type: string, state: Value): Value {
  if (!isObject(state)) return state;
  const rule = READ_BACK[type];
  return rule ? { ...state, ...rule(state) } : state;
}

/** Data sources: fixtures for known attributes, deterministic values for the rest. */
export function readDataSource(
  type: string,
  block: SchemaBlock,
  config: Value,
  fixtures: Record<string, Record<string, Value>>,
  subscriptionId: string,
): Value {
  const shape = blockShape(block);
  const cfg = isObject(config) ? config : {};
  const base: Record<string, Value> = { ...cfg };
  for (const [k, v] of Object.entries(fixtures[type] ?? {})) if ((base[k] ?? null) === null) base[k] = v === "{subscription}" ? subscriptionId : v;
  const planned = unknownComputed(base, cfg, shape);
  const seed = digest(type, cfg);
  return fillUnknowns(planned, shape, seed, "", { named: (p) => (p === "id" ? digest(type, seed).slice(0, 32) : undefined) });
}

/** Ephemeral resources: random_password's result, generated per open and never stored. */
export function openEphemeral(type: string, block: SchemaBlock, config: Value, nonce: string): Value {
  const shape = blockShape(block);
  const cfg = isObject(config) ? config : {};
  const result = generatedPassword(digest(type, cfg, nonce), Number(cfg.length ?? 16));
  generatedSecrets.add(result);
  const filled = unknownComputed(cfg, cfg, shape) as Record<string, Value>;
  const out = fillUnknowns({ ...filled, result }, shape, nonce, "", { named: () => undefined });
  return out;
}
