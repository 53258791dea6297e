import { Construct } from "constructs";
import { VirtualMachineExtension } from "@cdktf/provider-azurerm/lib/virtual-machine-extension";
import { MonitorDataCollectionRule } from "@cdktf/provider-azurerm/lib/monitor-data-collection-rule";
import { MonitorDataCollectionRuleAssociation } from "@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association";
import { MonitorScheduledQueryRulesAlertV2 } from "@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2";

export interface ArchiveHeartbeatProps {
  readonly namePrefix: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** The archiver VM whose syslog carries the heartbeat. */
  readonly virtualMachineId: string;
  /** The archiver's user-assigned identity; the agent authenticates with it (the workspace has no shared keys). */
  readonly identityId: string;
  readonly logAnalyticsWorkspaceId: string;
  /** Syslog tag the archiver writes after every successful `core:archive`. */
  readonly heartbeatTag: string;
  /** Hours without a heartbeat before alerting (2-6: Azure's allowed log-alert windows). */
  readonly staleHours: number;
  readonly actionGroupId: string;
  readonly tags: Record<string, string>;
}

/**
 * Alerts when archiving falls behind: the archiver logs a heartbeat to syslog
 * after each successful run, the Azure Monitor agent ships it to Log Analytics,
 * and a scheduled query fires when none arrived within `staleHours`.
 * Reports silently going stale is the archiver's typical failure.
 */
export class ArchiveHeartbeat extends Construct {
  readonly alert: MonitorScheduledQueryRulesAlertV2;

  constructor(scope: Construct, id: string, props: ArchiveHeartbeatProps) {
    super(scope, id);
    const agent = new VirtualMachineExtension(this, "MonitorAgent", {
      name: "AzureMonitorLinuxAgent",
      virtualMachineId: props.virtualMachineId,
      publisher: "Microsoft.Azure.Monitor",
      type: "AzureMonitorLinuxAgent",
      typeHandlerVersion: "1.33",
      autoUpgradeMinorVersion: true,
      automaticUpgradeEnabled: true,
      settings: JSON.stringify({
        authentication: { managedIdentity: { "identifier-name": "mi_res_id", "identifier-value": props.identityId } },
      }),
      tags: props.tags,
    });
    const rule = new MonitorDataCollectionRule(this, "SyslogRule", {
      name: `${props.namePrefix}-archiver-syslog-dcr`,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      kind: "Linux",
      dataSources: {
        syslog: [
          {
            name: "matomo-syslog",
            facilityNames: ["user", "daemon", "cron"],
            logLevels: ["Info", "Notice", "Warning", "Error", "Critical", "Alert", "Emergency"],
            streams: ["Microsoft-Syslog"],
          },
        ],
      },
      destinations: { logAnalytics: [{ name: "workspace", workspaceResourceId: props.logAnalyticsWorkspaceId }] },
      dataFlow: [{ streams: ["Microsoft-Syslog"], destinations: ["workspace"] }],
      tags: props.tags,
    });
    new MonitorDataCollectionRuleAssociation(this, "SyslogRuleAssociation", {
      name: "archiver-syslog",
      targetResourceId: props.virtualMachineId,
      dataCollectionRuleId: rule.id,
      dependsOn: [agent],
    });
    if (!Number.isInteger(props.staleHours) || props.staleHours < 2 || props.staleHours > 6) {
      throw new Error(
        `ArchiveHeartbeat: staleHours ${props.staleHours} must be a whole number from 2 to 6: hourly archiving needs a 2 h margin and Azure log alerts look back at most PT6H below a day; set alerts.archiveStaleHours within that range`,
      );
    }
    const window = `PT${props.staleHours}H`;
    this.alert = new MonitorScheduledQueryRulesAlertV2(this, "StaleAlert", {
      name: `${props.namePrefix}-archive-stale`,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      scopes: [props.logAnalyticsWorkspaceId],
      description: `No successful core:archive for ${props.staleHours} hours: reports are stale. See docs/runbooks/recover-archiver.md.`,
      severity: 2,
      evaluationFrequency: "PT15M",
      windowDuration: window,
      criteria: [
        {
          query: `Syslog | where ProcessName == "${props.heartbeatTag}" or SyslogMessage has "${props.heartbeatTag}"`,
          timeAggregationMethod: "Count",
          operator: "LessThan",
          threshold: 1,
          failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 },
        },
      ],
      action: { actionGroups: [props.actionGroupId] },
      autoMitigationEnabled: true,
      tags: props.tags,
    });
  }
}
