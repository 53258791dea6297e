import { byPath, exampleConfig, exampleSynth, resourcesOf, synthAll, TfJson, promotedConfig } from "../helpers";
import { frontendAlerts, loadBalancerAlerts, mysqlReplicaAlerts, mysqlServerAlerts } from "../../modules/monitoring/catalog";
import { MetricAlertSpec } from "../../modules/monitoring/alerts";

// The run's shared synth of the example (default thresholds); the catalogs' tests below use others.
let stacks: Record<string, TfJson>;
beforeAll(() => {
  stacks = exampleSynth().stacks;
});

describe("catalogs follow the configured thresholds", () => {
  const t = { mysqlCpuPercent: 75, mysqlStoragePercent: 90, mysqlConnectionsPercent: 60, replicationLagSeconds: 120, frontendCpuPercent: 70 };
  const byKey = (specs: MetricAlertSpec[]) => Object.fromEntries(specs.map((s) => [s.key, s]));
  test("MySQL server: CPU, storage, connections as a share of max_connections, HA threads only with HA", () => {
    const a = byKey(mysqlServerAlerts(t, 1000, true));
    expect([a.cpu.threshold, a.storage.threshold, a.connections.threshold]).toEqual([75, 90, 600]);
    expect(a.connections.description).toContain("60% of max_connections (1000)");
    expect(Object.keys(a)).toEqual(["cpu", "storage", "connections", "ha-io", "ha-sql"]);
    expect(Object.keys(byKey(mysqlServerAlerts(t, 1000, false)))).toEqual(["cpu", "storage", "connections"]);
  });
  test("replica lag, frontend CPU with the autoscale ceiling in its advice, probe health", () => {
    expect(mysqlReplicaAlerts(t)[0]).toMatchObject({ metricName: "replication_lag", threshold: 120 });
    const fe = byKey(frontendAlerts(t, 9));
    expect(fe.cpu).toMatchObject({ threshold: 70, description: expect.stringContaining("autoscale allows 9 instances") });
    expect(loadBalancerAlerts()[0]).toMatchObject({ metricName: "DipAvailability", threshold: 100 });
  });
});

const alertsIn = (stack: TfJson) => Object.fromEntries(Object.values<any>(resourcesOf(stack, "azurerm_monitor_metric_alert")).map((a) => [a.name, a]));

test("one action group e-mails the configured address", () => {
  const ag = byPath(stacks.core, "azurerm_monitor_action_group", "AlertActionGroup/Resource");
  expect(ag.email_receiver).toEqual([{ name: "operations", email_address: "oncall@example.com", use_common_alert_schema: true }]);
  expect(ag.short_name.length).toBeLessThanOrEqual(12);
});

test("MySQL: CPU, storage, connections, HA state on the primary; lag on the replica", () => {
  const a = alertsIn(stacks.data);
  const pick = (n: string) => a[`ctso-matomo-ex-${n}`].criteria[0];
  expect(pick("mysql-cpu")).toMatchObject({ metric_name: "cpu_percent", operator: "GreaterThan", threshold: 80 });
  expect(pick("mysql-storage")).toMatchObject({ metric_name: "storage_percent", threshold: 85 });
  expect(pick("mysql-connections")).toMatchObject({ metric_name: "active_connections", threshold: Math.floor(0.8 * (2 * 6 * 36 + 60)) });
  expect(pick("mysql-ha-io")).toMatchObject({ metric_name: "HA_IO_status", operator: "LessThan", threshold: 1 });
  expect(pick("mysql-ha-sql")).toMatchObject({ metric_name: "HA_SQL_status", operator: "LessThan", threshold: 1 });
  expect(pick("mysql-replica-lag")).toMatchObject({ metric_name: "replication_lag", threshold: 300 });
  expect(a["ctso-matomo-ex-mysql-replica-lag"].scopes[0]).toMatch(/Mysql_Replica/);
  for (const alert of Object.values<any>(a)) expect(alert.action[0].action_group_id).toMatch(/AlertActionGroup/);
});

test("no lag alert once the replica is promoted (it is the primary then)", () => {
  const promoted = synthAll(promotedConfig()).stacks;
  const alerts = alertsIn(promoted.data);
  expect(Object.keys(alerts)).not.toContain("ctso-matomo-ex-mysql-replica-lag");
  // CPU, storage and connections follow the writable server; it has no zone-redundant HA to watch.
  expect(alerts["ctso-matomo-ex-mysql-cpu"].scopes[0]).toMatch(/Mysql_Replica/);
  expect(Object.keys(alerts)).not.toContain("ctso-matomo-ex-mysql-ha-io");
});

test("configured thresholds reach the stacks (the promoted variant sets non-default ones)", () => {
  const promoted = synthAll(promotedConfig()).stacks;
  expect(alertsIn(promoted.data)["ctso-matomo-ex-mysql-cpu"].criteria[0].threshold).toBe(75);
  expect(byPath(promoted["app-weu"], "azurerm_monitor_scheduled_query_rules_alert_v2", "ArchiveHeartbeat/StaleAlert").window_duration).toBe("PT4H");
});

test.each(["app-weu", "app-neu"])("%s: scale-set CPU and unavailable instances, load-balancer probe health", (id) => {
  const a = Object.values<any>(alertsIn(stacks[id]));
  const metrics = a.map((x) => x.criteria[0].metric_name).sort();
  expect(metrics).toEqual(["DipAvailability", "Percentage CPU", "VmAvailabilityMetric"]);
  expect(a.find((x) => x.criteria[0].metric_name === "Percentage CPU").criteria[0].threshold).toBe(85);
});

test("archiving falling behind: agent, syslog collection and a stale-heartbeat query on the archiver only", () => {
  const weu = stacks["app-weu"];
  const rule = byPath(weu, "azurerm_monitor_scheduled_query_rules_alert_v2", "ArchiveHeartbeat/StaleAlert");
  expect(rule).toMatchObject({ window_duration: "PT3H", evaluation_frequency: "PT15M", severity: 2 });
  expect(rule.criteria[0]).toMatchObject({ time_aggregation_method: "Count", operator: "LessThan", threshold: 1 });
  expect(rule.criteria[0].query).toContain("matomo-archive-heartbeat");
  expect(byPath(weu, "azurerm_virtual_machine_extension", "ArchiveHeartbeat/MonitorAgent").type).toBe("AzureMonitorLinuxAgent");
  expect(byPath(weu, "azurerm_monitor_data_collection_rule", "ArchiveHeartbeat/SyslogRule").data_sources.syslog[0].streams).toEqual(["Microsoft-Syslog"]);
  expect(resourcesOf(stacks["app-neu"], "azurerm_monitor_scheduled_query_rules_alert_v2")).toEqual({});
});

test("Cloudflare e-mails when a regional pool changes health", () => {
  const n = byPath(stacks.edge, "cloudflare_notification_policy", "PoolHealthNotification/Resource");
  expect(n).toMatchObject({ alert_type: "load_balancing_health_alert", mechanisms: { email: [{ id: "oncall@example.com" }] } });
  expect(n.filters.pool_id).toHaveLength(2);
  expect(n.filters.new_health).toEqual(["Unhealthy", "Healthy"]);
});

test("bad thresholds are refused with the field named", () => {
  expect(() => exampleConfig((c) => (c.alerts = { ...c.alerts, archiveStaleHours: 1 }))).toThrow(/alerts\.archiveStaleHours: must be at least 2/);
  expect(() => exampleConfig((c) => (c.alerts = { ...c.alerts, mysqlStoragePercent: 99 }))).toThrow(/alerts\.mysqlStoragePercent/);
});
