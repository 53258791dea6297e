import { IConstruct } from "constructs";

const SUPPRESSIONS_KEY = "blueprint/policy-suppressions";

export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * Exempts one resource from one rule. The reason is mandatory and reviewed
 * with the code; it is kept next to the resource and printed by the pack.
 */
export function suppressRule(resource: IConstruct, ruleId: string, reason: string): void {
  if (!/^BP-[A-Z]+-\d+$/.test(ruleId)) throw new Error(`suppressRule: '${ruleId}' is not a rule ID like BP-MYSQL-1`);
  if (reason.trim().length < 20) {
    throw new Error(`suppressRule(${ruleId}) on ${resource.node.path}: the reason must explain why (at least 20 characters), got '${reason}'`);
  }
  const existing = suppressionsOf(resource);
  resource.node.setContext(SUPPRESSIONS_KEY, [...existing, { ruleId, reason }]);
}

export function suppressionsOf(resource: IConstruct): Suppression[] {
  return (resource.node.tryGetContext(SUPPRESSIONS_KEY) as Suppression[] | undefined) ?? [];
}
