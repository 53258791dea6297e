import { Construct } from "constructs";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting";

export interface DiagnosticsProps {
  /** Resource whose logs and metrics are sent. */
  readonly targetResourceId: string;
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
    new MonitorDiagnosticSetting(this, "Resource", {
      name: "to-log-analytics",
      targetResourceId: props.targetResourceId,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      enabledLog: group ? [{ categoryGroup: group }] : undefined,
      enabledMetric: props.metrics === false ? undefined : [{ category: "AllMetrics" }],
    });
  }
}
