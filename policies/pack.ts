import { IConstruct } from "constructs";
import { Annotations, DefaultTokenResolver, IAspect, StringConcat, TerraformResource, Tokenization } from "cdktf";
import { PolicyRule, ResourceView, RuleResult } from "./rule";
import { suppressionsOf } from "./suppressions";
import { ALL_RULES } from "./rules";

export interface PolicyFinding {
  readonly ruleId: string;
  readonly level: PolicyRule["level"];
  readonly path: string;
  readonly result: RuleResult | "SUPPRESSED";
  readonly reason?: string;
}

/** The snake_case attributes of a resource, including overrides (e.g. lifecycle). */
export function viewOf(resource: TerraformResource): ResourceView {
  const tf = resource.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> };
  const attributes = tf.resource[resource.terraformResourceType][resource.friendlyUniqueId];
  // depends_on holds references (tokens) until synthesis; resolve them so rules can read the addresses.
  const dependsOn =
    attributes.depends_on === undefined
      ? undefined
      : Tokenization.resolve(attributes.depends_on, {
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
      const level = rule.level;
      if (result !== "NON_COMPLIANT") {
        this.findings.push({ ruleId: rule.id, level, path, result });
        continue;
      }
      const suppression = suppressions.find((s) => s.ruleId === rule.id);
      if (suppression) {
        this.findings.push({ ruleId: rule.id, level, path, result: "SUPPRESSED", reason: suppression.reason });
        // The cdktf CLI prints annotations: reviewers see every waiver at synth, not only in the report.
        Annotations.of(resource).addInfo(`[${rule.id}] suppressed: ${suppression.reason}`);
        continue;
      }
      this.findings.push({ ruleId: rule.id, level, path, result });
      const checkov = rule.checkovId ? ` (Checkov ${rule.checkovId})` : "";
      const message = `[${rule.id}]${checkov} ${rule.description} ${rule.explanation}`;
      if (rule.level === "error") Annotations.of(resource).addError(message);
      else Annotations.of(resource).addWarning(message);
    }
  }
}

/** File name of the policy report inside the synth output directory. */
export const POLICY_REPORT_FILE = "policy-report.json";

export interface PolicyReport {
  readonly environment: string;
  readonly rules: ReadonlyArray<{
    readonly id: string;
    readonly checkovId?: string;
    readonly level: PolicyRule["level"];
    readonly description: string;
    readonly explanation: string;
  }>;
  readonly summary: Readonly<Record<RuleResult | "SUPPRESSED", number>>;
  /** Every evaluation of a rule on a resource, sorted by rule and path. */
  readonly findings: readonly PolicyFinding[];
}

/** The machine-readable report of one synth (as cdk-nag writes one): what passed, what was waived and why. */
export function policyReport(environment: string, findings: readonly PolicyFinding[], rules: readonly PolicyRule[] = ALL_RULES): PolicyReport {
  const sorted = [...findings].sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.path.localeCompare(b.path));
  const summary = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0, SUPPRESSED: 0 };
  for (const f of sorted) summary[f.result]++;
  return {
    environment,
    rules: rules.map((r) => ({ id: r.id, checkovId: r.checkovId, level: r.level, description: r.description, explanation: r.explanation })),
    summary,
    findings: sorted,
  };
}

/** The lines a reviewer must see at synth: every waived rule with its reason, every warning. */
export function policyReportLines(report: PolicyReport): string[] {
  const lines = report.findings.flatMap((f) => {
    if (f.result === "SUPPRESSED") return [`policy: SUPPRESSED ${f.ruleId} on ${f.path}: ${f.reason}`];
    if (f.result === "NON_COMPLIANT" && f.level === "warning") return [`policy: WARNING ${f.ruleId} on ${f.path}`];
    return [];
  });
  const s = report.summary;
  lines.push(
    `policy: ${s.COMPLIANT} compliant, ${s.SUPPRESSED} suppressed, ${s.NON_COMPLIANT} non-compliant over ${report.rules.length} rules (${POLICY_REPORT_FILE})`,
  );
  return lines;
}
