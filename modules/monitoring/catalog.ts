/**
 * What is worth waking someone for, per monitored resource: the metric alert
 * catalogs the stacks hand to `MetricAlerts`. Pure data, so the thresholds and
 * the advice in each e-mail are tested without a synth.
 */
import { MetricAlertSpec } from "./alerts";

/** The alert thresholds of the environment config (`alerts.*`). */
export interface AlertThresholds {
  readonly mysqlCpuPercent: number;
  readonly mysqlStoragePercent: number;
  readonly mysqlConnectionsPercent: number;
  readonly replicationLagSeconds: number;
  readonly frontendCpuPercent: number;
}

const MYSQL = "Microsoft.DBforMySQL/flexibleServers";
const SCALE_SET = "Microsoft.Compute/virtualMachineScaleSets";
const LOAD_BALANCER = "Microsoft.Network/loadBalancers";

/**
 * The writable MySQL server. `zoneRedundantHa` adds the standby's replication
 * threads: HA exists only on a server created as the source (create-time only on Azure).
 */
export function mysqlServerAlerts(t: AlertThresholds, maxConnections: number, zoneRedundantHa: boolean): MetricAlertSpec[] {
  return [
    {
      key: "cpu",
      description: `MySQL CPU above ${t.mysqlCpuPercent}% for 15 min: scale the SKU (docs/runbooks/scale.md).`,
      metricNamespace: MYSQL,
      metricName: "cpu_percent",
      aggregation: "Average",
      operator: "GreaterThan",
      threshold: t.mysqlCpuPercent,
      severity: 2,
      windowSize: "PT15M",
    },
    {
      key: "storage",
      description: `MySQL storage above ${t.mysqlStoragePercent}% (auto-grow is on: check growth and cost).`,
      metricNamespace: MYSQL,
      metricName: "storage_percent",
      aggregation: "Maximum",
      operator: "GreaterThan",
      threshold: t.mysqlStoragePercent,
      severity: 2,
    },
    {
      key: "connections",
      description: `Active connections above ${t.mysqlConnectionsPercent}% of max_connections (${maxConnections}).`,
      metricNamespace: MYSQL,
      metricName: "active_connections",
      aggregation: "Maximum",
      operator: "GreaterThan",
      threshold: Math.floor((maxConnections * t.mysqlConnectionsPercent) / 100),
      severity: 2,
    },
    ...(zoneRedundantHa
      ? [
          {
            key: "ha-io",
            description: "Zone-redundant HA replication IO thread stopped: the standby is not receiving changes.",
            metricNamespace: MYSQL,
            metricName: "HA_IO_status",
            aggregation: "Maximum",
            operator: "LessThan",
            threshold: 1,
            severity: 1,
          } as const,
          {
            key: "ha-sql",
            description: "Zone-redundant HA replication SQL thread stopped: the standby is not applying changes.",
            metricNamespace: MYSQL,
            metricName: "HA_SQL_status",
            aggregation: "Maximum",
            operator: "LessThan",
            threshold: 1,
            severity: 1,
          } as const,
        ]
      : []),
  ];
}

/** The cross-region read replica: its lag is what a region failover would lose. */
export function mysqlReplicaAlerts(t: AlertThresholds): MetricAlertSpec[] {
  return [
    {
      key: "lag",
      description: `Replica lag above ${t.replicationLagSeconds} s: this is the data a region failover would lose now.`,
      metricNamespace: MYSQL,
      metricName: "replication_lag",
      aggregation: "Maximum",
      operator: "GreaterThan",
      threshold: t.replicationLagSeconds,
      severity: 2,
    },
  ];
}

/** One region's frontend scale set; `maxInstances` is what autoscale may already use. */
export function frontendAlerts(t: AlertThresholds, maxInstances: number): MetricAlertSpec[] {
  return [
    {
      key: "cpu",
      description: `Frontend CPU above ${t.frontendCpuPercent}% for 15 min although autoscale allows ${maxInstances} instances: raise frontends.maxInstances or the size.`,
      metricNamespace: SCALE_SET,
      metricName: "Percentage CPU",
      aggregation: "Average",
      operator: "GreaterThan",
      threshold: t.frontendCpuPercent,
      severity: 2,
      windowSize: "PT15M",
    },
    {
      key: "unhealthy",
      description: "A frontend instance is unavailable; automatic repair replaces it after the grace period.",
      metricNamespace: SCALE_SET,
      metricName: "VmAvailabilityMetric",
      aggregation: "Minimum",
      operator: "LessThan",
      threshold: 1,
      severity: 2,
      windowSize: "PT15M",
    },
  ];
}

/** One region's load balancer: probe health is what Cloudflare's failover follows. */
export function loadBalancerAlerts(): MetricAlertSpec[] {
  return [
    {
      key: "probe-health",
      description: "Fewer than all frontends pass the /healthz probe; below half, Cloudflare will fail this region over.",
      metricNamespace: LOAD_BALANCER,
      metricName: "DipAvailability",
      aggregation: "Average",
      operator: "LessThan",
      threshold: 100,
      severity: 2,
      windowSize: "PT5M",
    },
  ];
}
