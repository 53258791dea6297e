import { IConstruct } from "constructs";
import { Annotations, DefaultTokenResolver, IAspect, StringConcat, TerraformResource, Tokenization } from "cdktf";
import { PolicyRule, ResourceView, RuleResult } from "./rule";
import { suppressionsOf } from "./suppressions";
import { ALL_RULES } from "./rules";

export interface PolicyFinding {
  readonly ruleId: string;
  readonly path: string;
  readonly result: RuleResult | "SUPPRESSED";
  readonly reason?: string;
}

/** The snake_case attributes of a resource, including overrides (e.g. lifecycle). */
export function viewOf(resource: TerraformResource): ResourceView {
  const tf = resource.toTerraform() as { resource: Record<string, Record<string, any>> };
  const attributes = tf.resource[resource.terraformResourceType][resource.friendlyUniqueId];
  // depends_on holds references (tokens) until synthesis; resolve them so rules can read the addresses.
  const dependsOn = attributes.depends_on === undefined ? undefined : Tokenization.resolve(attributes.depends_on, {
    scope: resource,
    preparing: false,
    resolver: new DefaultTokenResolver(new StringConcat()),
  });
  return { type: resource.terraformResourceType, attributes: dependsOn === undefined ? attributes : { ...attributes, depends_on: dependsOn } };
}

/**
 * Applies every rule to every resource. A violation of an `error` rule is an
 * error annotation, which fails synthesis; suppressed findings are reported
 * with their reason so reviewers see them.
 */
export class BlueprintChecks implements IAspect {
  readonly findings: PolicyFinding[] = [];

  constructor(private readonly rules: readonly PolicyRule[] = ALL_RULES) {}

  visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node)) return;
    const resource = node as TerraformResource;
    const applicable = this.rules.filter((r) => r.resourceTypes.includes(resource.terraformResourceType));
    if (applicable.length === 0) return;
    const view = viewOf(resource);
    const suppressions = suppressionsOf(resource);
    for (const rule of applicable) {
      const result = rule.evaluate(view);
      const path = resource.node.path;
      if (result !== "NON_COMPLIANT") {
        this.findings.push({ ruleId: rule.id, path, result });
        continue;
      }
      const suppression = suppressions.find((s) => s.ruleId === rule.id);
      if (suppression) {
        this.findings.push({ ruleId: rule.id, path, result: "SUPPRESSED", reason: suppression.reason });
        continue;
      }
      this.findings.push({ ruleId: rule.id, path, result });
      const checkov = rule.checkovId ? ` (Checkov ${rule.checkovId})` : "";
      const message = `[${rule.id}]${checkov} ${rule.description} ${rule.explanation}`;
      if (rule.level === "error") Annotations.of(resource).addError(message);
      else Annotations.of(resource).addWarning(message);
    }
  }
}
