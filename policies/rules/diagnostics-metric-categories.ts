import { DIAGNOSTIC_METRIC_CATEGORIES, DIAGNOSTIC_TARGETS_WITHOUT_LOGS, metricCategoriesFor } from "../../modules/common/diagnostics";
import { blocks, check, PolicyRule } from "../rule";

/** `${azurerm_storage_account.x.id}/fileServices/default` -> `azurerm_storage_account/fileServices/default`. */
export function diagnosticTargetKind(targetResourceId: unknown): string | undefined {
  if (typeof targetResourceId !== "string") return undefined;
  const m = /^\$\{([a-z0-9_]+)\.[^.}]+\.id\}(\/.*)?$/.exec(targetResourceId);
  return m ? `${m[1]}${m[2] ?? ""}` : undefined;
}

export const diagnosticsMetricCategories: PolicyRule = {
  id: "BP-DIAG-1",
  level: "error",
  resourceTypes: ["azurerm_monitor_diagnostic_setting"],
  description: "Diagnostic settings must enable only the metric and log categories their target type supports.",
  explanation:
    `Azure rejects the whole setting at apply time otherwise, e.g. "Metric category 'AllMetrics' is not supported, supported categories are: 'Capacity;Transaction'" on storage accounts (${Object.keys(DIAGNOSTIC_METRIC_CATEGORIES).join(", ")}; ` +
    "https://learn.microsoft.com/azure/storage/files/storage-files-monitoring-reference#metrics, https://github.com/Azure/terraform-azurerm-avm-res-storage-storageaccount/pull/325).",
  evaluate: ({ attributes: a }) => {
    const kind = diagnosticTargetKind(a.target_resource_id);
    if (kind === undefined) return "NOT_APPLICABLE";
    const allowed = metricCategoriesFor(kind);
    const metricsOk = blocks(a.enabled_metric).every((m) => allowed.includes(String(m.category)));
    const logsOk = !DIAGNOSTIC_TARGETS_WITHOUT_LOGS.includes(kind) || blocks(a.enabled_log).length === 0;
    return check(metricsOk && logsOk);
  },
};
