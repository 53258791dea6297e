#!/usr/bin/env node
/**
 * Failover budget of the synthesized environment: how fast each tier notices
 * and survives a zone or region loss, and what data it can lose. Every number
 * is read from cdktf.out (edge, data and, when present, app-* stacks) or is a
 * published Azure/Cloudflare figure printed with its source
 * (docs/failover-budget.md lists them all).
 *
 * Usage: node scripts/report.js [--outdir cdktf.out] [--json]
 * Plain Node, no dependencies; run `npm run synth` first.
 */
"use strict";

const fs = require("fs");
const path = require("path");

/** Published figures; each printed line that uses one names its source. */
const SRC = {
  cfMonitor: "https://developers.cloudflare.com/load-balancing/monitors/create-monitor/ (interval floor per plan)",
  cfDefaults: "https://github.com/cloudflare/terraform-provider-cloudflare/blob/v5.14.0/internal/services/load_balancer_monitor/schema.go",
  cfRegions: "https://developers.cloudflare.com/load-balancing/monitors/#health-monitor-regions",
  cfFallback: "https://developers.cloudflare.com/load-balancing/understand-basics/health-details/#fallback-pools",
  cfRetry: "https://developers.cloudflare.com/load-balancing/understand-basics/adaptive-routing/",
  cfProxied: "https://developers.cloudflare.com/load-balancing/understand-basics/proxy-modes/",
  derived: "derived: arithmetic on the monitor settings above, not a published figure (docs/failover-budget.md)",
  vmSla: "https://azure.microsoft.com/support/legal/sla/virtual-machines/ (>= 2 instances in >= 2 zones: 99.99 %)",
  lbProbe:
    "https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/lb_probe (interval_in_seconds x probe_threshold consecutive failures)",
  vmssRepair: "https://learn.microsoft.com/azure/reliability/reliability-virtual-machine-scale-sets (repair grace 10-90 min)",
  mysqlHa:
    "https://learn.microsoft.com/azure/mysql/flexible-server/concepts-high-availability, https://learn.microsoft.com/azure/mysql/flexible-server/concepts-business-continuity",
  mysqlReplica: "https://learn.microsoft.com/azure/mysql/flexible-server/concepts-read-replicas",
  mysqlBackup: "https://learn.microsoft.com/azure/mysql/flexible-server/concepts-business-continuity (geo-restore RPO < 1 h)",
  filesZrs: "https://learn.microsoft.com/azure/reliability/reliability-storage-files (ZRS zone-down: no data loss, seconds, no remount)",
  adr0010: "docs/adr/0010-network-egress-and-shared-files.md",
};

/** Plan limits the config schema enforces too (one file, two readers). */
const PLAN_LIMITS = require("../config/cloudflare-plans.json");
/** Provider defaults when an attribute is absent (SRC.cfDefaults). */
const MONITOR_DEFAULTS = { interval: 60, timeout: 5, retries: 2, consecutive_down: 0, consecutive_up: 0 };

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** The synthesized stacks under `outdir`: edge (required), data and app-* (optional). */
function loadStacks(outdir) {
  const dir = path.join(outdir, "stacks");
  const edgeFile = path.join(dir, "edge", "cdk.tf.json");
  if (!fs.existsSync(edgeFile)) return { error: `${edgeFile} not found: run \`npm run synth\` first (and check that the blueprint builds the edge stack).` };
  // What synth derived from the config (stacks/facts.ts): the plan, the copy interval, the stack names.
  const factsFile = path.join(outdir, "facts.json");
  if (!fs.existsSync(factsFile)) return { error: `${factsFile} not found: run \`npm run synth\` again (this output predates facts.json).` };
  const stacks = { facts: readJson(factsFile), edge: readJson(edgeFile), data: undefined, apps: {} };
  const dataFile = path.join(dir, "data", "cdk.tf.json");
  if (fs.existsSync(dataFile)) stacks.data = readJson(dataFile);
  for (const id of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
    const f = path.join(dir, id, "cdk.tf.json");
    if (id.startsWith("app-") && fs.existsSync(f)) stacks.apps[id] = readJson(f);
  }
  return stacks;
}

const resources = (stack, type) => Object.entries((stack && stack.resource && stack.resource[type]) || {});
const num = (v, d) => (typeof v === "number" ? v : d);
const refTo = (type, logicalId) => `\${${type}.${logicalId}.id}`;

/** Detection time of a region failure by the Cloudflare monitor (SRC.derived). */
function detection(m) {
  const interval = num(m.interval, MONITOR_DEFAULTS.interval);
  const timeout = num(m.timeout, MONITOR_DEFAULTS.timeout);
  const retries = num(m.retries, MONITOR_DEFAULTS.retries);
  const down = Math.max(1, num(m.consecutive_down, MONITOR_DEFAULTS.consecutive_down));
  const up = Math.max(1, num(m.consecutive_up, MONITOR_DEFAULTS.consecutive_up));
  return {
    interval,
    timeout,
    retries,
    consecutiveDown: down,
    consecutiveUp: up,
    bestSeconds: (down - 1) * interval,
    worstFastSeconds: down * interval,
    worstTimeoutSeconds: down * interval + (retries + 1) * timeout,
    failbackSeconds: up * interval,
  };
}

function edgeBudget(edge, facts) {
  const monitors = resources(edge, "cloudflare_load_balancer_monitor");
  if (monitors.length !== 1) throw new Error(`expected one cloudflare_load_balancer_monitor in the edge stack, found ${monitors.length}`);
  const [monitorId, m] = monitors[0];
  const plan = facts.edge.plan;
  const pools = resources(edge, "cloudflare_load_balancer_pool").map(([id, p]) => ({
    id,
    name: p.name,
    checkRegions: p.check_regions || [],
    minimumOrigins: num(p.minimum_origins, 1),
    monitored: p.monitor === refTo("cloudflare_load_balancer_monitor", monitorId),
  }));
  const poolName = (ref) => (pools.find((p) => refTo("cloudflare_load_balancer_pool", p.id) === ref) || { name: ref }).name;
  const lbs = resources(edge, "cloudflare_load_balancer");
  if (lbs.length !== 1) throw new Error(`expected one cloudflare_load_balancer in the edge stack, found ${lbs.length}`);
  const lb = lbs[0][1];
  return {
    plan,
    planFloorSeconds: plan && PLAN_LIMITS[plan] ? PLAN_LIMITS[plan].minMonitorIntervalSeconds : undefined,
    monitor: { type: m.type, path: m.path, expectedCodes: m.expected_codes, ...detection(m) },
    pools: pools.map((p) => ({ ...p, probingDataCentres: 3 * p.checkRegions.length })),
    loadBalancer: {
      hostname: lb.name,
      proxied: lb.proxied === true,
      steering: lb.steering_policy || "(provider default)",
      order: (lb.default_pools || []).map(poolName),
      fallback: poolName(lb.fallback_pool),
      failoverAcrossPools: !!(lb.adaptive_routing && lb.adaptive_routing.failover_across_pools),
    },
  };
}

function webBudget(apps) {
  const regions = Object.entries(apps).map(([id, app]) => {
    const probes = resources(app, "azurerm_lb_probe").map(([, p]) => {
      const interval = num(p.interval_in_seconds, 15);
      const threshold = num(p.probe_threshold, 1);
      return { interval, threshold, detectionSeconds: interval * threshold };
    });
    const scaleSets = [...resources(app, "azurerm_orchestrated_virtual_machine_scale_set"), ...resources(app, "azurerm_linux_virtual_machine_scale_set")].map(
      ([, v]) => ({ zones: v.zones || [] }),
    );
    return { stack: id, probes, zones: scaleSets.map((v) => v.zones) };
  });
  return { regions };
}

function dataBudget(data) {
  if (!data) return undefined;
  const servers = resources(data, "azurerm_mysql_flexible_server").map(([, s]) => s);
  const primary = servers.find((s) => s.create_mode !== "Replica");
  const replica = servers.find((s) => s.create_mode === "Replica");
  const accounts = resources(data, "azurerm_storage_account").map(([, a]) => ({
    location: a.location,
    replication: a.account_replication_type,
    kind: a.account_kind,
  }));
  return {
    mysql: primary && {
      location: primary.location,
      haMode: (primary.high_availability && primary.high_availability.mode) || "none",
      zone: primary.zone,
      standbyZone: primary.high_availability && primary.high_availability.standby_availability_zone,
      backupRetentionDays: num(primary.backup_retention_days, 7),
      geoRedundantBackup: primary.geo_redundant_backup_enabled === true,
      replica: replica && { location: replica.location, promoted: replica.replication_role === "None" },
    },
    files: accounts,
  };
}

/** The whole budget as data (tests read this). */
function computeBudget(stacks) {
  return {
    edge: edgeBudget(stacks.edge, stacks.facts),
    web: webBudget(stacks.apps || {}),
    data: dataBudget(stacks.data),
    syncIntervalSeconds: stacks.facts.sharedFiles.syncIntervalSeconds,
  };
}

function formatBudget(b) {
  const out = [];
  const line = (text, source) => out.push(source ? `  ${text}\n      [${source}]` : `  ${text}`);
  const head = (t) => out.push("", t, "-".repeat(t.length));
  const e = b.edge;
  const m = e.monitor;

  out.push(`Failover budget for ${e.loadBalancer.hostname} (Cloudflare plan: ${e.plan || "unknown"})`);

  head("Region failure: detection by the Cloudflare monitor");
  line(
    `monitor ${m.type} ${m.path} expecting ${m.expectedCodes}: interval ${m.interval} s, timeout ${m.timeout} s, retries ${m.retries}, consecutive_down ${m.consecutiveDown}, consecutive_up ${m.consecutiveUp}`,
    "cdktf.out/stacks/edge",
  );
  if (e.planFloorSeconds !== undefined)
    line(
      `plan floor for the interval: ${e.planFloorSeconds} s (interval ${m.interval === e.planFloorSeconds ? "is at" : "is above"} the floor)`,
      SRC.cfMonitor,
    );
  line(`best case (fast failure just before a check): ${m.bestSeconds} s`, SRC.derived);
  line(`worst case, fast failure (refused, TLS error, non-200): ${m.worstFastSeconds} s = ${m.consecutiveDown} x ${m.interval} s`, SRC.derived);
  line(`worst case, hung origin: ${m.worstTimeoutSeconds} s = ${m.consecutiveDown} x ${m.interval} s + (${m.retries} + 1) x ${m.timeout} s`, SRC.derived);
  line(`failback after recovery: about ${m.failbackSeconds} s (${m.consecutiveUp} passing checks)`, SRC.derived);
  for (const p of e.pools) {
    line(
      `pool ${p.name}: checked from ${p.probingDataCentres} data centres (${p.checkRegions.join(", ")}; 3 per region, majority per region, majority of regions); minimum_origins ${p.minimumOrigins}; monitor attached: ${p.monitored ? "yes" : "NO"}`,
      SRC.cfRegions,
    );
  }
  line(
    `steering ${e.loadBalancer.steering}, order ${e.loadBalancer.order.join(" -> ")}, fallback ${e.loadBalancer.fallback} (used when every pool is down, health ignored)`,
    SRC.cfFallback,
  );
  line(
    `proxied: ${e.loadBalancer.proxied ? "yes, traffic moves at the edge per request, no DNS TTL to wait for" : "NO, failover waits for resolver caches"}`,
    SRC.cfProxied,
  );
  if (e.loadBalancer.failoverAcrossPools) {
    line(
      "failover_across_pools: a request that meets a dead origin (521/522/523/525/526) is retried once in the other pool, before the monitor notices",
      SRC.cfRetry,
    );
  }

  head("Zone failure, per tier");
  if (b.web.regions.length === 0) {
    line("frontends: app stacks not in cdktf.out; they spread the scale set over zones behind a zone-redundant LB (design)", SRC.vmSla);
  }
  for (const r of b.web.regions) {
    for (const p of r.probes)
      line(
        `${r.stack} frontends: LB probe takes an instance out after ${p.detectionSeconds} s (${p.threshold} x ${p.interval} s); instances in the other zones keep serving; zones ${r.zones.map((z) => z.join(",")).join(" / ") || "?"}`,
        SRC.lbProbe,
      );
    line(`${r.stack} frontends: failed instances replaced by automatic repair after its grace period`, SRC.vmssRepair);
  }
  const d = b.data;
  if (!d || !d.mysql) {
    line("database: data stack not in cdktf.out");
  } else if (d.mysql.haMode === "ZoneRedundant") {
    line(`database: zone-redundant HA (zone ${d.mysql.zone}, standby zone ${d.mysql.standbyZone}): automatic failover, RTO 60-120 s, RPO 0`, SRC.mysqlHa);
  } else {
    line(`database: HA mode ${d.mysql.haMode}: a zone loss stops the database until Azure recovers it (RTO not published)`, SRC.mysqlHa);
  }
  for (const f of (d && d.files) || []) {
    line(
      f.replication === "ZRS"
        ? `shared files (${f.location}): ZRS, automatic, in-flight requests may fail for a few seconds, no data loss, no remount`
        : `shared files (${f.location}): ${f.replication}: a zone loss can take the share down`,
      SRC.filesZrs,
    );
  }

  head("RTO / RPO per tier");
  line(
    `web, region loss: RTO = detection above (${m.bestSeconds}-${m.worstTimeoutSeconds} s) + per-request re-steering; RPO 0 (frontends are stateless)`,
    SRC.derived,
  );
  if (d && d.mysql) {
    line(
      d.mysql.haMode === "ZoneRedundant"
        ? "database, zone loss: RTO 60-120 s, RPO 0 (zone-redundant HA)"
        : `database, zone loss: HA mode ${d.mysql.haMode}: down until Azure recovers the zone (RTO not published)`,
      SRC.mysqlHa,
    );
    if (d.mysql.replica && d.mysql.replica.promoted) {
      line(`database, region loss: the replica in ${d.mysql.replica.location} is already promoted (standalone read-write)`, SRC.mysqlReplica);
    } else if (d.mysql.replica) {
      line(
        `database, region loss: manual promotion of the replica in ${d.mysql.replica.location} (runbook; stop replication takes about 2 min); RTO = decision + about 2 min + apply; RPO = replica lag at promotion (seconds to a couple of minutes; watch the Replica Lag metric)`,
        SRC.mysqlReplica,
      );
    } else {
      line("database, region loss: no replica; geo-restore from backup, RPO < 1 h, RTO not published", SRC.mysqlBackup);
    }
    line(
      `database backups: ${d.mysql.backupRetentionDays} days, geo-redundant ${d.mysql.geoRedundantBackup ? "yes (geo-restore RPO < 1 h)" : "no"}`,
      SRC.mysqlBackup,
    );
  }
  const shares = ((d && d.files) || []).filter((f) => f.kind === "FileStorage");
  const allZrs = shares.length > 0 && shares.every((f) => f.replication === "ZRS");
  line(`shared files, zone loss: ${allZrs ? "RTO seconds, RPO 0 (every share ZRS)" : "not zone-redundant everywhere: see above"}`, SRC.filesZrs);
  line(`shared files, region loss: ${shares.length} per-region shares; RPO = archiver copy interval ${b.syncIntervalSeconds} s`, SRC.adr0010);

  head("End to end");
  line(`secondary region lost: the primary keeps serving; the secondary pool leaves rotation within ${m.worstTimeoutSeconds} s`, SRC.derived);
  if (d && d.mysql && d.mysql.replica && !d.mysql.replica.promoted) {
    line(
      `primary region lost: traffic moves within ${m.worstTimeoutSeconds} s, but the secondary frontends write to the primary database; service returns after the replica promotion, so RTO = max(detection, promotion) and RPO = replica lag (+ shared-files copy interval for config and tracker files)`,
      SRC.mysqlReplica,
    );
  }
  line(
    "zone lost in the primary region: frontends in the other zones keep serving; while MySQL fails over (60-120 s) /healthz fails in both regions, Cloudflare may send traffic to the fallback pool, and no extra downtime results",
    SRC.mysqlHa,
  );
  return out.join("\n");
}

function main(argv) {
  let outdir = "cdktf.out";
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--outdir") outdir = argv[++i];
    else if (argv[i] === "--json") json = true;
    else {
      console.error(`report: unknown argument ${argv[i]} (usage: node scripts/report.js [--outdir cdktf.out] [--json])`);
      return 2;
    }
  }
  const stacks = loadStacks(outdir);
  if (stacks.error) {
    console.error(`report: ${stacks.error}`);
    return 1;
  }
  const budget = computeBudget(stacks);
  console.log(json ? JSON.stringify(budget, null, 2) : formatBudget(budget));
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));

module.exports = { computeBudget, formatBudget, loadStacks, detection, main, SRC };
