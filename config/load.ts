import { z } from "zod";
import { configSchema, BlueprintConfig, BlueprintConfigInput } from "./schema";
import { editDistance } from "../modules/common/edit-distance";

export interface ConfigProblem {
  /** Dotted path of the field, e.g. `regions.secondary.addressSpace`. */
  readonly field: string;
  /** What was received, JSON-encoded, or `(missing)`. */
  readonly received: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** Thrown when an environment config is invalid; lists every problem at once. */
export class ConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid config for environment '${environment}' (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  - ${p.field}: ${p.message} (received: ${p.received})`).join("\n") +
        `\nFix config/environments/${environment}.ts; nothing was synthesized.`,
    );
    this.name = "ConfigError";
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), "") || "(root)";
}

const REFERENCE = "see docs/config-reference.md";

/** Messages for zod's generic issues, so every problem says how to fix it. Field-specific messages in the schema win. */
function messageFor(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined
        ? `is required: add it (${REFERENCE})`
        : `must be ${issue.expected === "object" ? "an object" : `a ${issue.expected}`}, not ${Array.isArray(issue.input) ? "a list" : typeof issue.input}: fix its type (${REFERENCE})`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return issue.origin === "array" ? `needs at least ${issue.minimum} item(s)` : `must be at least ${issue.minimum}; raise it`;
    case "too_big":
      return issue.origin === "array" ? `takes at most ${issue.maximum} item(s)` : `must be at most ${issue.maximum}; lower it`;
    case "unrecognized_keys":
      return `has unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(", ")}: remove them or fix the spelling (${REFERENCE})`;
    case "invalid_format":
      return `has the wrong format (${REFERENCE} for the expected pattern)`;
    case "invalid_union":
      return `does not match any allowed shape (${REFERENCE})`;
    default:
      return undefined;
  }
}

/**
 * The one config object an environment file exports (named or default); `file` names it in the error.
 * Shared by discoverEnvironments and scripts/build.js (which loads the files tsc refused).
 */
export function exportedConfig(moduleExports: Record<string, unknown>, file: string): BlueprintConfigInput {
  const configs = [...new Set(Object.values(moduleExports).filter((v) => v && typeof v === "object"))];
  if (configs.length !== 1) {
    throw new Error(`${file} must export exactly one environment config object (found ${configs.length}); see config/environments/example.ts`);
  }
  return configs[0] as BlueprintConfigInput;
}

type SchemaNode = { _zod: { def: { shape?: Record<string, SchemaNode>; innerType?: SchemaNode; in?: SchemaNode } } };

/** The field names the schema allows at `path` (through defaults, optionals and pipes), if it is an object there. */
function knownFields(path: readonly PropertyKey[]): string[] | undefined {
  const unwrap = (node: SchemaNode): SchemaNode => {
    let n = node;
    while (!n._zod.def.shape && (n._zod.def.innerType ?? n._zod.def.in)) n = (n._zod.def.innerType ?? n._zod.def.in)!;
    return n;
  };
  let node = unwrap(configSchema as unknown as SchemaNode);
  for (const key of path) {
    const next = node._zod.def.shape?.[String(key)];
    if (!next) return undefined;
    node = unwrap(next);
  }
  return node._zod.def.shape ? Object.keys(node._zod.def.shape) : undefined;
}

/** Names the nearest allowed field for each misspelt one, when there is a close one; else zod's message as mapped. */
function unknownFieldsMessage(path: readonly PropertyKey[], keys: readonly string[], fallback: string): string {
  const known = knownFields(path) ?? [];
  const guesses = keys.flatMap((k) => {
    const best = known.map((f) => ({ f, d: editDistance(k.toLowerCase(), f.toLowerCase()) })).sort((a, b) => a.d - b.d)[0];
    return best && best.d <= Math.max(2, Math.floor(k.length / 3)) ? [`'${k}' -> '${best.f}'`] : [];
  });
  if (guesses.length === 0) return fallback;
  return `has unknown field(s) ${keys.map((k) => `'${k}'`).join(", ")}: fix the spelling (${guesses.join(", ")}) or remove them (${REFERENCE})`;
}

/** Validates a raw environment config and applies defaults. */
export function parseConfig(environment: string, input: BlueprintConfigInput | unknown): BlueprintConfig {
  const result = configSchema.safeParse(input, { reportInput: true, error: messageFor });
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => ({
    field: fieldPath(i.path),
    received: describeValue((i as { input?: unknown }).input),
    message: i.code === "unrecognized_keys" ? unknownFieldsMessage(i.path, i.keys, i.message) : i.message,
  }));
  throw new ConfigError(environment, problems);
}
