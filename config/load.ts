import { configSchema, BlueprintConfig, BlueprintConfigInput } from "./schema";

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
  constructor(readonly environment: string, readonly problems: readonly ConfigProblem[]) {
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

/** Validates a raw environment config and applies defaults. */
export function parseConfig(environment: string, input: BlueprintConfigInput | unknown): BlueprintConfig {
  const result = configSchema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => ({
    field: fieldPath(i.path),
    received: describeValue((i as { input?: unknown }).input),
    message: i.message,
  }));
  throw new ConfigError(environment, problems);
}
