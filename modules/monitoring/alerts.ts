import { Construct } from "constructs";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group";
import { MonitorMetricAlert } from "@cdktf/provider-azurerm/lib/monitor-metric-alert";

export interface AlertActionGroupProps {
  readonly name: string;
  readonly resourceGroupName: string;
  /** Recipient of every alert. */
  readonly email: string;
  readonly tags: Record<string, string>;
}

/** The one place alerts go; every alert of every stack points here. */
export class AlertActionGroup extends Construct {
  readonly actionGroup: MonitorActionGroup;

  constructor(scope: Construct, id: string, props: AlertActionGroupProps) {
    super(scope, id);
    this.actionGroup = new MonitorActionGroup(this, "Resource", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: "global",
      // Azure limits the SMS/e-mail sender name to 12 characters.
      shortName: "matomo-ops",
      emailReceiver: [{ name: "operations", emailAddress: props.email, useCommonAlertSchema: true }],
      tags: props.tags,
    });
  }
}

/** One metric condition worth waking someone for. */
export interface MetricAlertSpec {
  /** Construct ID and name suffix, e.g. `mysql-cpu`. */
  readonly key: string;
  /** What it means and what to do, shown in the alert e-mail. */
  readonly description: string;
  readonly metricNamespace: string;
  readonly metricName: string;
  readonly aggregation: "Average" | "Maximum" | "Minimum" | "Total" | "Count";
  readonly operator: "GreaterThan" | "GreaterThanOrEqual" | "LessThan" | "LessThanOrEqual";
  readonly threshold: number;
  /** 0 critical ... 4 verbose. */
  readonly severity: 0 | 1 | 2 | 3 | 4;
  /** @default "PT5M" */
  readonly windowSize?: string;
}

export interface MetricAlertsProps {
  /** Alert name prefix, e.g. `ctso-matomo-prod-mysql`. */
  readonly namePrefix: string;
  readonly resourceGroupName: string;
  /** The monitored resource. */
  readonly scope: string;
  readonly actionGroupId: string;
  readonly alerts: readonly MetricAlertSpec[];
  readonly tags: Record<string, string>;
}

/** Metric alerts on one resource, all routed to the action group. */
export class MetricAlerts extends Construct {
  readonly alerts: Record<string, MonitorMetricAlert> = {};

  constructor(scope: Construct, id: string, props: MetricAlertsProps) {
    super(scope, id);
    for (const a of props.alerts) {
      this.alerts[a.key] = new MonitorMetricAlert(this, a.key, {
        name: `${props.namePrefix}-${a.key}`,
        resourceGroupName: props.resourceGroupName,
        scopes: [props.scope],
        description: a.description,
        severity: a.severity,
        frequency: "PT1M",
        windowSize: a.windowSize ?? "PT5M",
        autoMitigate: true,
        criteria: [
          {
            metricNamespace: a.metricNamespace,
            metricName: a.metricName,
            aggregation: a.aggregation,
            operator: a.operator,
            threshold: a.threshold,
          },
        ],
        action: [{ actionGroupId: props.actionGroupId }],
        tags: props.tags,
      });
    }
  }
}
