import { Construct } from "constructs";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";

/**
 * Metric categories Azure accepts in a diagnostic setting, by target. Most
 * resource types take "AllMetrics"; storage accounts and their services
 * reject it ("Metric category 'AllMetrics' is not supported, supported
 * categories are: 'Capacity;Transaction'",
 * https://learn.microsoft.com/azure/storage/files/storage-files-monitoring-reference#metrics).
 * Keyed by the Terraform type of the target plus the sub-resource path, if any.
 */
export const DIAGNOSTIC_METRIC_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  azurerm_storage_account: ["Capacity", "Transaction"],
  "azurerm_storage_account/fileServices/default": ["Capacity", "Transaction"],
  "azurerm_storage_account/blobServices/default": ["Capacity", "Transaction"],
};
/** Targets that have no log categories at all: a log entry makes Azure reject the setting. */
export const DIAGNOSTIC_TARGETS_WITHOUT_LOGS: readonly string[] = ["azurerm_storage_account"];

/** Metric categories to enable on a target of this kind. */
export function metricCategoriesFor(targetKind: string): readonly string[] {
  return DIAGNOSTIC_METRIC_CATEGORIES[targetKind] ?? ["AllMetrics"];
}

export interface DiagnosticsProps {
  /** Resource whose logs and metrics are sent. */
  readonly targetResourceId: string;
  /**
   * Terraform type of the target plus its sub-resource path, e.g.
   * `azurerm_storage_account/fileServices/default`; selects the metric
   * categories Azure accepts for it.
   * @default - a type that accepts "AllMetrics"
   */
  readonly targetKind?: string;
  /** Log Analytics workspace that receives them. */
  readonly logAnalyticsWorkspaceId: string;
  /**
   * Log category group to enable, or none for resources without logs.
   * @default "allLogs"
   */
  readonly logCategoryGroup?: "allLogs" | "audit" | null;
  /**
   * Whether to send platform metrics.
   * @default true
   */
  readonly metrics?: boolean;
}

/** Sends a resource's platform logs and metrics to the central workspace. */
export class Diagnostics extends Construct {
  constructor(scope: Construct, id: string, props: DiagnosticsProps) {
    super(scope, id);
    const group = props.logCategoryGroup === undefined ? "allLogs" : props.logCategoryGroup;
    const kind = props.targetKind ?? "";
    if (group && DIAGNOSTIC_TARGETS_WITHOUT_LOGS.includes(kind)) {
      throw new Error(
        `Diagnostics ${this.node.path}: ${kind} has no log categories, so logCategoryGroup '${group}' would be rejected by Azure; set logCategoryGroup: null`,
      );
    }
    new MonitorDiagnosticSetting(this, "Resource", {
      name: "to-log-analytics",
      targetResourceId: props.targetResourceId,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      enabledLog: group ? [{ categoryGroup: group }] : undefined,
      enabledMetric: props.metrics === false ? undefined : metricCategoriesFor(kind).map((category) => ({ category })),
    });
  }
}
