import * as fs from "fs";
import * as path from "path";
import { Aspects, Testing } from "cdktf";
import { BlueprintConfig } from "../../config";
import { CoreStack } from "../../stacks/core-stack";
import { EdgeStack } from "../../stacks/edge-stack";
import { BlueprintChecks } from "../../policies/pack";
import { ALL_RULES } from "../../policies/rules";
import { CLOUDFLARE_RULES } from "../../policies/rules/cloudflare";
import { TfJson } from "../helpers";

export interface EdgeSynth {
  readonly outdir: string;
  readonly core: TfJson;
  readonly edge: TfJson;
  readonly stack: EdgeStack;
  readonly checks: BlueprintChecks;
}

/** Every rule once, whether or not the Cloudflare rules are registered in ALL_RULES yet. */
export const EVERY_RULE = [...new Map([...ALL_RULES, ...CLOUDFLARE_RULES].map((r) => [r.id, r])).values()];

/**
 * Core + edge synthesized the way `app.synth()` writes them (cross-stack
 * references become remote state), with the whole policy pack applied: a
 * policy error makes this throw.
 */
export function synthEdge(config: BlueprintConfig): EdgeSynth {
  const app = Testing.app();
  const core = new CoreStack(app, "core", { config });
  const stack = new EdgeStack(app, "edge", { config, core });
  const checks = new BlueprintChecks(EVERY_RULE);
  // Aspects run from each stack down (an App-level aspect never runs).
  for (const st of [core, stack]) Aspects.of(st).add(checks);
  app.synth();
  const read = (id: string) => JSON.parse(fs.readFileSync(path.join(app.outdir, "stacks", id, "cdk.tf.json"), "utf8"));
  return { outdir: app.outdir, core: read("core"), edge: read("edge"), stack, checks };
}

/** Resources of one type, as a list. */
export const all = (stack: TfJson, type: string): any[] => Object.values(stack.resource?.[type] ?? {});

/** The one resource of a type whose construct path ends with `suffix`. */
export function at(stack: TfJson, type: string, suffix: string): any {
  const hits = all(stack, type).filter((r) => r["//"]?.metadata?.path?.endsWith(suffix));
  if (hits.length !== 1) throw new Error(`expected one ${type} at *${suffix}, found ${hits.length}`);
  return hits[0];
}

/** `${type.logicalId}` of a resource, as other resources in the same stack reference it. */
export const refOf = (stack: TfJson, type: string, suffix: string, attr: string): string => {
  const entry = Object.entries(stack.resource?.[type] ?? {}).find(([, r]: [string, any]) => r["//"]?.metadata?.path?.endsWith(suffix));
  if (!entry) throw new Error(`no ${type} at *${suffix}`);
  return `\${${type}.${entry[0]}.${attr}}`;
};

/**
 * What an edge expression points at in core: a remote-state output is
 * replaced by the core expression behind it; anything else is returned as is.
 */
export function inCore(synth: { core: TfJson }, expr: string): string {
  const m = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-core\.outputs\.([^}.]+)\}$/.exec(expr);
  if (!m) return expr;
  const out = synth.core.output?.[m[1]];
  if (!out) throw new Error(`core has no output ${m[1]}`);
  return out.value;
}

type AttrSchema = { optional?: boolean; computed?: boolean; nested_type?: { nesting_mode: string; attributes: Record<string, AttrSchema> } };
const cloudflareSchema = JSON.parse(fs.readFileSync(path.join(__dirname, "../../schemas/cloudflare-5.14.0.subset.json"), "utf8"));

/** Top-level attributes of a Cloudflare resource type in the checked-in 5.14 schema subset. */
export function cloudflareAttributes(type: string): Record<string, AttrSchema> {
  const provider = cloudflareSchema.provider_schemas["registry.terraform.io/cloudflare/cloudflare"];
  return provider.resource_schemas[type].block.attributes;
}

/**
 * What keeps a no-change plan of a synthesized load balancer or pool from
 * being empty under provider 5.x drift, as readable problems: a drifting
 * attribute left to Cloudflare but not ignored, an ignored attribute the
 * blueprint sets (frozen), an ignore entry Terraform cannot honour
 * (computed-only), and a set nested object with a computed field left unset.
 */
export function driftProblems(
  type: "cloudflare_load_balancer" | "cloudflare_load_balancer_pool",
  body: Record<string, any>,
  drifting: readonly string[],
): string[] {
  const schema = cloudflareAttributes(type);
  const ignored: string[] = body.lifecycle?.ignore_changes ?? [];
  const problems: string[] = [];
  for (const attr of drifting) {
    if (body[attr] === undefined && !ignored.includes(attr)) problems.push(`${attr}: drifts, not set and not ignored`);
    const nested = schema[attr]?.nested_type;
    if (body[attr] !== undefined && nested?.nesting_mode === "single") {
      for (const [sub, s] of Object.entries(nested.attributes)) {
        if (s.computed && body[attr][sub] === undefined) problems.push(`${attr}.${sub}: computed field left unset`);
      }
    }
  }
  for (const attr of ignored) {
    if (body[attr] !== undefined) problems.push(`${attr}: set by the blueprint but ignored (changes would never apply)`);
    if (!schema[attr]?.optional || !schema[attr]?.computed) problems.push(`${attr}: not optional+computed, ignore_changes has no effect`);
  }
  return problems;
}
