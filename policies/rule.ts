/** Outcome of one rule on one resource. */
export type RuleResult = "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE";

/** A resource as a rule sees it: its Terraform type and snake_case attributes (tokens unresolved). */
export interface ResourceView {
  readonly type: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** One policy rule (cdk-nag style): an ID, what it protects, and a pure check. */
export interface PolicyRule {
  /** Blueprint rule ID, e.g. `BP-MYSQL-1`. */
  readonly id: string;
  /** Matching Checkov check, where one exists. */
  readonly checkovId?: string;
  /** `error` fails synthesis; `warning` is printed. */
  readonly level: "error" | "warning";
  /** Terraform resource types the rule inspects. */
  readonly resourceTypes: readonly string[];
  /** One line: what must hold. */
  readonly description: string;
  /** Why it matters, shown with every violation. */
  readonly explanation: string;
  readonly evaluate: (resource: ResourceView) => RuleResult;
}

/** True when the value is a cdktf token or interpolation, i.e. only known at plan time. */
export function isUnresolved(value: unknown): boolean {
  return typeof value === "string" && (value.includes("${") || value.includes("TfToken["));
}

/** A single nested block whether cdktf rendered it as an object or a one-element list. */
export function block(value: unknown): Record<string, unknown> | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return first && typeof first === "object" ? (first as Record<string, unknown>) : undefined;
}

/** A list attribute's items (cdktf renders a single block as an object), or none. */
export function blocks(value: unknown): Record<string, unknown>[] {
  const items: unknown[] = Array.isArray(value) ? value : value && typeof value === "object" ? [value] : [];
  return items.filter((v): v is Record<string, unknown> => !!v && typeof v === "object");
}

/** The addresses a resource declares in `depends_on` (resolved by the pack's view). */
export function dependsOn(a: Readonly<Record<string, unknown>>): string[] {
  return Array.isArray(a.depends_on) ? a.depends_on.map(String) : [];
}

export const check = (ok: boolean): RuleResult => (ok ? "COMPLIANT" : "NON_COMPLIANT");

/** Sources treated as "anyone on the Internet" in NSG rules. */
export const INTERNET_SOURCES = ["*", "internet", "any", "0.0.0.0", "0.0.0.0/0", "::/0"];

/** The known (not plan-time) sources and destination port ranges of an NSG rule. */
export function nsgRuleEndpoints(a: Readonly<Record<string, unknown>>): { sources: string[]; ports: string[] } {
  const list = (one: unknown, many: unknown) =>
    [one, ...(Array.isArray(many) ? many : [])].filter((v): v is string => typeof v === "string" && !isUnresolved(v));
  return { sources: list(a.source_address_prefix, a.source_address_prefixes), ports: list(a.destination_port_range, a.destination_port_ranges) };
}

/** Whether an NSG port range (`*`, `443`, `20-25`) includes `port`. */
export function portRangeCovers(range: string, port: number): boolean {
  if (range === "*") return true;
  const [lo, hi] = range.split("-").map(Number);
  return port >= lo && port <= (hi ?? lo);
}
