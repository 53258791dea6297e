import { byPath, exampleConfig, resourcesOf, synthAll, TfJson } from "../helpers";

let stacks: Record<string, TfJson>;
beforeAll(() => {
  stacks = synthAll(exampleConfig((c) => (c.alerts = { ...c.alerts, mysqlCpuPercent: 75, archiveStaleHours: 4 }))).stacks;
});

const alertsIn = (stack: TfJson) =>
  Object.fromEntries(Object.values<any>(resourcesOf(stack, "azurerm_monitor_metric_alert")).map((a) => [a.name, a]));

test("one action group e-mails the configured address", () => {
  const ag = byPath(stacks.core, "azurerm_monitor_action_group", "AlertActionGroup/Resource");
  expect(ag.email_receiver).toEqual([{ name: "operations", email_address: "oncall@example.com", use_common_alert_schema: true }]);
  expect(ag.short_name.length).toBeLessThanOrEqual(12);
});

test("MySQL: CPU, storage, connections, HA state on the primary; lag on the replica", () => {
  const a = alertsIn(stacks.data);
  const pick = (n: string) => a[`ctso-matomo-ex-${n}`].criteria[0];
  expect(pick("mysql-cpu")).toMatchObject({ metric_name: "cpu_percent", operator: "GreaterThan", threshold: 75 });
  expect(pick("mysql-storage")).toMatchObject({ metric_name: "storage_percent", threshold: 85 });
  expect(pick("mysql-connections")).toMatchObject({ metric_name: "active_connections", threshold: Math.floor(0.8 * (2 * 6 * 36 + 60)) });
  expect(pick("mysql-ha-io")).toMatchObject({ metric_name: "HA_IO_status", operator: "LessThan", threshold: 1 });
  expect(pick("mysql-ha-sql")).toMatchObject({ metric_name: "HA_SQL_status", operator: "LessThan", threshold: 1 });
  expect(pick("mysql-replica-lag")).toMatchObject({ metric_name: "replication_lag", threshold: 300 });
  expect(a["ctso-matomo-ex-mysql-replica-lag"].scopes[0]).toMatch(/Mysql_Replica/);
  for (const alert of Object.values<any>(a)) expect(alert.action[0].action_group_id).toMatch(/AlertActionGroup/);
});

test("no lag alert once the replica is promoted (it is the primary then)", () => {
  const promoted = synthAll(exampleConfig((c) => (c.mysql = { promoteReplica: true }))).stacks;
  expect(Object.keys(alertsIn(promoted.data))).not.toContain("ctso-matomo-ex-mysql-replica-lag");
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
  expect(rule).toMatchObject({ window_duration: "PT4H", evaluation_frequency: "PT15M", severity: 2 });
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
