/**
 * Terraform values as the stand-in providers see them: a shape tree built from
 * a provider schema, and the msgpack/JSON codecs of Terraform's wire format
 * (https://github.com/hashicorp/terraform/blob/v1.11.4/docs/plugin-protocol/object-wire-format.md).
 * Unknown values travel as msgpack extension values; objects always carry
 * every attribute (null when unset); `dynamic` values carry their type.
 */
import { decode, encode, ExtData, ExtensionCodec } from "@msgpack/msgpack";
import type { NestedType, SchemaAttribute, SchemaBlock, TypeExpr } from "../schema/validator";

/** A value not known until apply. */
export const UNKNOWN: unique symbol = Symbol("unknown");
/** A value of a `dynamic` attribute, with its concrete type. */
export interface Dyn {
  readonly dynType: TypeExpr;
  readonly value: Value;
}
export type Value = null | string | number | boolean | typeof UNKNOWN | Dyn | Value[] | { [k: string]: Value };

export type Shape =
  | { kind: "string" | "number" | "bool" | "dynamic" }
  | { kind: "list" | "set" | "map"; elem: Shape }
  | { kind: "tuple"; elems: Shape[] }
  | { kind: "object"; attrs: Record<string, Shape>; meta?: Record<string, SchemaAttribute> };

export function isDyn(v: Value): v is Dyn {
  return typeof v === "object" && v !== null && !Array.isArray(v) && "dynType" in v;
}
export function isObject(v: Value): v is { [k: string]: Value } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isDyn(v);
}

export function shapeOfType(t: TypeExpr): Shape {
  if (typeof t === "string") {
    if (t === "string" || t === "number" || t === "bool" || t === "dynamic") return { kind: t };
    throw new Error(`unknown primitive type ${t}`);
  }
  const [k, arg] = t;
  if (k === "list" || k === "set" || k === "map") return { kind: k, elem: shapeOfType(arg as TypeExpr) };
  if (k === "tuple") return { kind: "tuple", elems: (arg as TypeExpr[]).map(shapeOfType) };
  if (k === "object") {
    const attrs = Object.fromEntries(Object.entries(arg as Record<string, TypeExpr>).map(([n, s]) => [n, shapeOfType(s)]));
    return { kind: "object", attrs };
  }
  throw new Error(`unknown type ${JSON.stringify(t)}`);
}

function nestedShape(n: NestedType): Shape {
  const obj = objectShape(n.attributes, {});
  if (n.nesting_mode === "single") return obj;
  return { kind: n.nesting_mode, elem: obj };
}

export function attributeShape(a: SchemaAttribute): Shape {
  if (a.nested_type) return nestedShape(a.nested_type);
  return shapeOfType(a.type ?? "dynamic");
}

function objectShape(attributes: Record<string, SchemaAttribute>, blocks: SchemaBlock["block_types"]): Shape & { kind: "object" } {
  const attrs: Record<string, Shape> = {};
  for (const [n, a] of Object.entries(attributes)) attrs[n] = attributeShape(a);
  for (const [n, b] of Object.entries(blocks ?? {})) {
    const inner = blockShape(b.block);
    attrs[n] = b.nesting_mode === "single" || b.nesting_mode === "group" ? inner : { kind: b.nesting_mode, elem: inner };
  }
  return { kind: "object", attrs, meta: attributes };
}

/** The object shape of a resource, data source or provider block. */
export function blockShape(block: SchemaBlock): Shape & { kind: "object" } {
  return objectShape(block.attributes ?? {}, block.block_types);
}

const codec = new ExtensionCodec();
// cty writes unknowns as extension 0, and refined unknowns (Terraform 1.6+) as extension 12.
for (const type of [0, 12]) codec.register({ type, encode: () => null, decode: () => UNKNOWN });

/** Converts a decoded wire or JSON value to `shape`: fills missing attributes with null, unwraps dynamic values. */
function conform(v: unknown, shape: Shape, json: boolean): Value {
  if (v === null || v === undefined) return null;
  if (v === UNKNOWN) return UNKNOWN;
  switch (shape.kind) {
    case "string":
    case "number":
    case "bool":
      return v as Value;
    case "dynamic": {
      if (json) {
        const { type, value } = v as { type: TypeExpr; value: unknown };
        return { dynType: type, value: conform(value, shapeOfType(type), json) };
      }
      const [typeBytes, value] = v as [Uint8Array | string, unknown];
      const dynType = JSON.parse(typeof typeBytes === "string" ? typeBytes : Buffer.from(typeBytes).toString("utf8")) as TypeExpr;
      return { dynType, value: conform(value, shapeOfType(dynType), json) };
    }
    case "list":
    case "set":
      return (v as unknown[]).map((e) => conform(e, shape.elem, json));
    case "tuple":
      return (v as unknown[]).map((e, i) => conform(e, shape.elems[i], json));
    case "map":
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, e]) => [k, conform(e, shape.elem, json)]));
    case "object": {
      const src = v as Record<string, unknown>;
      return Object.fromEntries(Object.entries(shape.attrs).map(([k, s]) => [k, conform(src[k], s, json)]));
    }
  }
}

export function fromMsgpack(bytes: Uint8Array | undefined, shape: Shape): Value {
  if (!bytes || bytes.length === 0) return null;
  return conform(decode(bytes, { extensionCodec: codec }), shape, false);
}

export function fromJson(text: Uint8Array | string, shape: Shape): Value {
  return conform(JSON.parse(typeof text === "string" ? text : Buffer.from(text).toString("utf8")), shape, true);
}

function toWire(v: Value, shape: Shape): unknown {
  if (v === null) return null;
  if (v === UNKNOWN) return new ExtData(0, new Uint8Array([0]));
  switch (shape.kind) {
    case "dynamic": {
      const d = v as Dyn;
      return [Buffer.from(JSON.stringify(d.dynType)), toWire(d.value, shapeOfType(d.dynType))];
    }
    case "list":
    case "set":
      return (v as Value[]).map((e) => toWire(e, shape.elem));
    case "tuple":
      return (v as Value[]).map((e, i) => toWire(e, shape.elems[i]));
    case "map":
      return Object.fromEntries(Object.entries(v as Record<string, Value>).map(([k, e]) => [k, toWire(e, shape.elem)]));
    case "object": {
      const src = v as Record<string, Value>;
      return Object.fromEntries(Object.entries(shape.attrs).map(([k, s]) => [k, toWire(src[k] ?? null, s)]));
    }
    default:
      return v;
  }
}

export function toMsgpack(v: Value, shape: Shape): Uint8Array {
  return encode(toWire(v, shape), { extensionCodec: codec });
}

/** Structural equality; unknown equals nothing, not even another unknown. */
export function sameValue(a: Value, b: Value): boolean {
  if (a === UNKNOWN || b === UNKNOWN) return false;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (isDyn(a) || isDyn(b)) return isDyn(a) && isDyn(b) && JSON.stringify(a.dynType) === JSON.stringify(b.dynType) && sameValue(a.value, b.value);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((e, i) => sameValue(e, b[i]));
  }
  const ka = Object.keys(a).filter((k) => a[k] !== null);
  const kb = Object.keys(b).filter((k) => b[k] !== null);
  return ka.length === kb.length && ka.every((k) => sameValue(a[k], b[k] ?? null));
}

/** Whether any part of `v` is unknown. */
export function hasUnknown(v: Value): boolean {
  if (v === UNKNOWN) return true;
  if (v === null || typeof v !== "object") return false;
  if (isDyn(v)) return hasUnknown(v.value);
  return (Array.isArray(v) ? v : Object.values(v)).some(hasUnknown);
}
