import { z } from "zod";
import { configSchema } from "./schema";

/** Rules that involve several fields; each is exercised by __tests__/config/bad-config.test.ts. */
export const CROSS_FIELD_RULES: readonly string[] = [
  "`regions.secondary.location` and `shortName` differ from the primary's; the two address spaces do not overlap.",
  "`hostname` is `cloudflare.zoneName` or inside it.",
  "`cloudflare.steeringPolicy` is allowed by `cloudflare.plan` (free: failover; pro/business: failover, random; enterprise: all), or by `trafficSteering` for latency/geo/proximity; `proximity` needs every region's latitude and longitude.",
  "`cloudflare.monitorIntervalSeconds` is at least the plan's floor (free/pro 60 s, business 15 s, enterprise 10 s).",
  "`frontends.vmSku` (or the preset's) is in the VM table of config/presets.ts.",
  "`frontends.primaryMinInstances` and `secondaryMinInstances` are at least 2; `maxInstances` is at least both and at most 100; `scaleInCpuPercent` < `scaleOutCpuPercent`.",
  "`mysql.primaryZone` and `mysql.standbyZone` differ and are both in `regions.primary.zones`; a replica must be newer than its source: `mysql.generation` of the replica region >= the source's (primary source) or > it (secondary source).",
  "The composed Key Vault name (`<org>-<name>-<environment>-kv`) and storage account names (`<org><name><environment><shortName>nfs`) fit Azure's 24-character limits.",
];

/** The parts of a JSON Schema (as zod emits it) the reference reads. */
interface JsonSchema {
  readonly type?: string;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly oneOf?: readonly JsonSchema[];
  readonly items?: JsonSchema;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly required?: readonly string[];
  readonly default?: unknown;
  readonly description?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly [key: string]: unknown;
}

function typeOf(s: JsonSchema): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((v: unknown) => `\`${JSON.stringify(v)}\``).join(" \\| ");
  if (s.oneOf) return "one of below";
  if (s.type === "array") return `list of ${typeOf(s.items ?? {})}`;
  if (s.type === "object" && typeof s.additionalProperties === "object" && !s.properties) return `map of ${typeOf(s.additionalProperties)}`;
  return s.type ?? "any";
}

/** zod's `int()` bounds every integer to the safe range; that is no limit of the config, so it is not shown. */
const isRealBound = (v: unknown): v is number => typeof v === "number" && Math.abs(v) < Number.MAX_SAFE_INTEGER;

export function constraintOf(s: JsonSchema): string {
  const parts: string[] = [];
  if (isRealBound(s.minimum)) parts.push(`>= ${s.minimum}`);
  if (isRealBound(s.maximum)) parts.push(`<= ${s.maximum}`);
  if (s.minItems !== undefined) parts.push(`at least ${s.minItems} item(s)`);
  if (s.minLength !== undefined) parts.push(`length >= ${s.minLength}`);
  if (s.maxLength !== undefined) parts.push(`length <= ${s.maxLength}`);
  if (s.pattern) parts.push(`matches \`${s.pattern.replace(/\|/g, "\\|")}\``);
  return parts.join(", ");
}

function cell(text: string): string {
  return text.replace(/\n/g, " ").replace(/\|(?<!\\\|)/g, "\\|");
}

/** Every leaf field of the config with its type, default, constraint and description. */
export function configFields(): Array<{ field: string; type: string; required: boolean; default: string; constraint: string; description: string }> {
  const root = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const rows: ReturnType<typeof configFields> = [];
  const walk = (s: JsonSchema, path: string, required: boolean, inherited?: string) => {
    const description = (s.description ?? inherited ?? "").replace(/@default - (.*)$/, "").trim();
    const presetDefault = /@default - (.*)$/.exec(s.description ?? "")?.[1];
    if (s.type === "object" && s.properties) {
      for (const [k, child] of Object.entries<JsonSchema>(s.properties)) walk(child, path ? `${path}.${k}` : k, (s.required ?? []).includes(k));
      return;
    }
    if (s.oneOf) {
      rows.push({
        field: path,
        type: "one of below",
        required,
        default: s.default !== undefined ? `\`${JSON.stringify(s.default)}\`` : "",
        constraint: "",
        description,
      });
      s.oneOf.forEach((variant: JsonSchema) => {
        const tag = variant.properties?.type?.const;
        for (const [k, child] of Object.entries<JsonSchema>(variant.properties ?? {})) {
          if (k === "type") continue;
          walk(child, `${path}.${k} (type ${JSON.stringify(tag)})`, (variant.required ?? []).includes(k));
        }
      });
      return;
    }
    rows.push({
      field: path,
      type: typeOf(s),
      required: required && s.default === undefined,
      default: s.default !== undefined ? `\`${JSON.stringify(s.default)}\`` : (presetDefault ?? ""),
      constraint: constraintOf(s),
      description,
    });
  };
  walk(root, "", true);
  return rows;
}

/** The Markdown of docs/config-reference.md. */
export function renderConfigReference(): string {
  const lines = [
    "# Configuration reference",
    "",
    "<!-- Generated from config/schema.ts by `npm run docs:config`; a test fails when it is out of date. -->",
    "",
    "One file per environment in `config/environments/`, selected with `MATOMO_ENV`. Every problem is reported at once",
    "with the field, the value received and the fix, and nothing is synthesized until the file is valid.",
    "",
    "| field | type | required | default | constraint | description |",
    "|---|---|---|---|---|---|",
    ...configFields().map(
      (r) => `| \`${r.field}\` | ${cell(r.type)} | ${r.required ? "yes" : "no"} | ${cell(r.default)} | ${cell(r.constraint)} | ${cell(r.description)} |`,
    ),
    "",
    "## Rules across fields",
    "",
    ...CROSS_FIELD_RULES.map((r) => `- ${r}`),
    "",
  ];
  return lines.join("\n");
}
