/**
 * The rehearsal's Matomo parts (a real release given with --release): install,
 * re-run, effective config, UI and tracking, log_visit, core:archive, the
 * frontend crons, /healthz, the drills and the capacity figure.
 */
import * as fs from "fs";
import * as path from "path";
import { PATHS } from "../modules/cloud-init";
import { Host, Net } from "./lab";
import { expect, Rehearsal, tail } from "./main";
import { edgeChecks, healthDrill, provisionFrontends, withVersion } from "./run";
import { run } from "./sh";
import { keyFileFingerprint, tarballVersion } from "./release";
import { LoadResult } from "./capacity";

function q(r: Rehearsal, sql: string): string {
  return r.activeDb.must(sql, r.archEnv.MATOMO_DB_NAME);
}

function table(r: Rehearsal, name: string): string {
  return `\`${r.archEnv.MATOMO_DB_TABLES_PREFIX}${name}\``;
}

function visits(r: Rehearsal): number {
  return Number(q(r, `SELECT COUNT(*) FROM ${table(r, "log_visit")}`));
}

function actions(r: Rehearsal): number {
  return Number(q(r, `SELECT COUNT(*) FROM ${table(r, "log_link_visit_action")}`));
}

let hit = 0;
/** A tracking request as Cloudflare forwards it: client certificate, CF-Connecting-IP. */
function track(r: Rehearsal, fe: string, withCert = true): number {
  hit++;
  const id = (0x1000000000000000n + BigInt(Date.now()) * 1000n + BigInt(hit)).toString(16).slice(-16);
  // A new visitor each time: its own client IP (CF-Connecting-IP, trusted from the edge's range) and id.
  const headers = [`CF-Connecting-IP: 198.51.100.${hit % 250}`];
  return r.request(
    fe,
    `/matomo.php?idsite=1&rec=1&send_image=0&_id=${id}&action_name=rehearsal-${hit}&url=${encodeURIComponent(`https://www.example.com/rehearsal/${hit}`)}`,
    withCert ? { cert: r.client, headers } : { headers },
  ).status;
}

/**
 * Matomo's effective configuration as Matomo itself merges it (global.ini.php,
 * common.config.ini.php, config.ini.php), read through its own Config class;
 * the DB password and salt are dropped before printing.
 */
function effectiveConfig(r: Rehearsal, host: string): Record<string, Record<string, unknown>> {
  const h = r.hosts[host];
  const php = [
    "<?php",
    `define('PIWIK_DOCUMENT_ROOT', '${PATHS.installDir}');`,
    `define('PIWIK_INCLUDE_PATH', '${PATHS.installDir}');`,
    `define('PIWIK_USER_PATH', '${PATHS.installDir}');`,
    `require '${PATHS.installDir}/core/bootstrap.php';`,
    "$env = new \\Piwik\\Application\\Environment('cli');",
    "$env->init();",
    "$c = \\Piwik\\Config::getInstance();",
    "$db = $c->database; unset($db['password']);",
    "$g = $c->General; unset($g['salt']);",
    "echo json_encode(['database' => $db, 'General' => $g]);",
  ].join("\n");
  fs.writeFileSync(h.file("/tmp/rehearsal-config.php"), php);
  const res = h.exec(["runuser", "-u", "www-data", "--", "php", "/tmp/rehearsal-config.php"], { timeoutMs: 120_000 });
  fs.rmSync(h.file("/tmp/rehearsal-config.php"), { force: true });
  if (res.code !== 0) throw new Error(`reading Matomo's config on ${host}: ${tail(res)}`);
  return JSON.parse(res.stdout.slice(res.stdout.indexOf("{")));
}

/** A reboot keeps the disk and empties tmpfs (/run). */
function reboot(r: Rehearsal, name: string): void {
  Net.killAll(name);
  Host.emptyRun(path.join(r.hosts[name].dir, "run"));
}

function cronOk(r: Rehearsal, host: string, role: "frontend" | "archiver", job: string): string {
  const payload = role === "frontend" ? r.currentFrontend : r.currentArchiver;
  const res = r.cron(r.hosts[host], payload, `job.sh ${job}`);
  const log = r.syslog(r.hosts[host], `matomo-job-${job}`);
  expect(res.code === 0, `${job} exited ${res.code}: ${log.split("\n").slice(-5).join(" | ")}`);
  expect(
    !/\b(ERROR|CRITICAL)\b|Exception|There are no commands/.test(log.split("\n").slice(-20).join("\n")),
    `${job} logged an error: ${log.split("\n").slice(-5).join(" | ")}`,
  );
  return `${(res.ms / 1000).toFixed(1)} s`;
}

export async function withMatomo(r: Rehearsal): Promise<void> {
  const rep = r.report;
  const arc = r.host("arc", "archiver");
  const installed = rep.check("archiver: unattended install from cloud-init (verified release, headless setup, config published)", () => {
    const res = r.boot(arc, r.payloads.archiver);
    expect(res.code === 0, `provisioning failed: ${tail(res, 12)}`);
    expect(arc.exists(PATHS.readyFile), "no ready marker");
    expect(/installing Matomo/.test(res.stdout + res.stderr), "no install ran");
    expect(fs.existsSync(path.join(r.shareDir("primary"), "config", "config.ini.php")), "config.ini.php not published");
    expect(fs.existsSync(path.join(r.shareDir("replica"), "config", "config.ini.php")), "config.ini.php not copied to the other region's share");
    return `${(res.ms / 1000).toFixed(0)} s; ${q(r, `SELECT option_value FROM ${table(r, "option")} WHERE option_name='version_core'`)} schema`;
  });
  if (!installed) {
    rep.skip("Matomo checks after the install", "the install failed");
    return;
  }
  rep.check("archiver: provisioning again (reboot) is idempotent, no second install", () => {
    const users = q(r, `SELECT COUNT(*) FROM ${table(r, "user")}`);
    const sites = q(r, `SELECT COUNT(*) FROM ${table(r, "site")}`);
    reboot(r, "arc");
    const res = r.reprovision(arc);
    const out = res.stdout + res.stderr;
    expect(res.code === 0, `second run failed: ${tail(res, 10)}`);
    expect(/database state: installed; shared config: present/.test(out) && !/installing Matomo/.test(out), "did not take the update path");
    expect(q(r, `SELECT COUNT(*) FROM ${table(r, "user")}`) === users && q(r, `SELECT COUNT(*) FROM ${table(r, "site")}`) === sites, "users or sites changed");
    return `update path; ${users} users, ${sites} site(s) unchanged`;
  });
  provisionFrontends(r);

  edgeChecks(r);
  rep.check("effective config on a frontend: multi-server settings, DB over TLS", () => {
    const want: [string, string, string][] = [
      ["General", "multi_server_environment", "1"],
      ["General", "enable_browser_archiving_triggering", "0"],
      ["General", "browser_archiving_disabled_enforce", "1"],
      ["General", "enable_installer", "0"],
      ["General", "enable_plugins_admin", "0"],
      ["General", "force_ssl", "1"],
      ["database", "enable_ssl", "1"],
      ["database", "ssl_ca", PATHS.dbCaFile],
      ["database", "host", r.env.MATOMO_DB_HOST],
    ];
    const got: string[] = [];
    for (const fe of ["fe1", "fe2"]) {
      const c = effectiveConfig(r, fe);
      for (const [s, k, v] of want) {
        expect(String(c[s]?.[k]) === v, `${fe}: ${s}.${k} = ${JSON.stringify(c[s]?.[k])}, expected ${v}`);
        if (fe === "fe1") got.push(`${s}.${k}=${v}`);
      }
    }
    const user = r.activeDb.must(`SELECT ssl_type FROM mysql.user WHERE user='${r.archEnv.MATOMO_DB_USER}'`);
    expect(user === "ANY" && r.activeDb.must("SELECT @@require_secure_transport") === "1", "Matomo's DB login is not TLS-only");
    return `${got.join(", ")}; DB user REQUIRE SSL, require_secure_transport=ON`;
  });

  rep.check("UI with the client certificate 200, 403 without", () => {
    const ui = r.request("fe1", "/index.php", { cert: r.client });
    const no = r.request("fe1", "/index.php");
    expect(
      ui.status === 200 && /Matomo/i.test(ui.body) && !/Database has already been upgraded|error/i.test(ui.body.slice(0, 2000)),
      `UI: ${ui.status} ${ui.body.slice(0, 200)}`,
    );
    expect(no.status === 403, `without certificate: ${no.status}`);
    return "login page served; 403 without";
  });

  rep.check("tracking with the client certificate on both frontends, 403 without; hits in log_visit", () => {
    const before = visits(r);
    const beforeActions = actions(r);
    const codes = [track(r, "fe1"), track(r, "fe2")];
    const without = track(r, "fe1", false);
    expect(
      codes.every((c) => c === 204 || c === 200),
      `tracking: ${codes}`,
    );
    expect(without === 403, `without certificate: ${without}`);
    const after = visits(r);
    expect(after === before + 2 && actions(r) === beforeActions + 2, `log_visit ${before} -> ${after}, actions ${beforeActions} -> ${actions(r)}`);
    const ips = q(r, `SELECT GROUP_CONCAT(INET6_NTOA(location_ip)) FROM (SELECT location_ip FROM ${table(r, "log_visit")} ORDER BY idvisit DESC LIMIT 2) t`);
    return `${codes} / ${without}; log_visit ${before} -> ${after}; visitor IPs ${ips} (from CF-Connecting-IP)`;
  });

  rep.check("core:archive (archiver cron job) builds reports", () => {
    const t = cronOk(r, "arc", "archiver", "archive");
    expect(arc.exists(PATHS.archiveHeartbeatFile), "no heartbeat");
    const archives = Number(
      r.activeDb.must(
        `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='${r.archEnv.MATOMO_DB_NAME}' AND table_name LIKE '${r.archEnv.MATOMO_DB_TABLES_PREFIX}archive_numeric_%'`,
      ),
    );
    expect(archives > 0, "no archive tables");
    return `${t}; heartbeat written; ${archives} archive_numeric table(s)`;
  });
  rep.check("scheduled tasks (archiver cron job)", () => cronOk(r, "arc", "archiver", "scheduled-tasks"));
  for (const job of ["custom-js", "tagmanager"]) {
    rep.check(`frontend cron: ${job} on fe1 and fe2`, () => `${cronOk(r, "fe1", "frontend", job)}, ${cronOk(r, "fe2", "frontend", job)}`);
  }
  healthDrill(r);

  rep.check("drill: a frontend killed, the other serves; it comes back after a reboot", () => {
    Net.killAll("fe1");
    r.net.unplug("fe1");
    let code: number;
    let health: number;
    const before = visits(r);
    try {
      const gone = r.health("fe1");
      expect(gone === 0, `fe1 still answers: ${gone}`);
      code = track(r, "fe2");
      health = r.health("fe2");
    } finally {
      r.net.plug("fe1");
    }
    expect((code === 204 || code === 200) && health === 200, `fe2 while fe1 is down: tracking ${code}, health ${health}`);
    expect(visits(r) === before + 1, "the hit did not land");
    reboot(r, "fe1");
    const res = r.reprovision(r.hosts.fe1);
    expect(res.code === 0, `fe1 reboot provisioning: ${tail(res)}`);
    const back = r.health("fe1");
    expect(back === 200, `fe1 health after reboot: ${back}`);
    return `fe2 tracked ${code}, health ${health}; fe1 back: ${back}`;
  });

  rep.check("drill: archiver destroyed and re-created: no second install, share republished", () => {
    const marker = q(r, `SELECT option_value FROM ${table(r, "option")} WHERE option_name='blueprint_install_completed'`);
    Net.killAll("arc");
    fs.rmSync(path.join(r.shareDir("replica"), "config", "config.ini.php"), { force: true });
    const fresh = r.host("arc", "archiver");
    const res = r.boot(fresh, r.currentArchiver);
    const out = res.stdout + res.stderr;
    expect(res.code === 0, `re-created archiver: ${tail(res, 10)}`);
    expect(!/installing Matomo/.test(out) && /database state: installed; shared config: present/.test(out), "installed again");
    expect(q(r, `SELECT option_value FROM ${table(r, "option")} WHERE option_name='blueprint_install_completed'`) === marker, "install marker changed");
    expect(fs.existsSync(path.join(r.shareDir("replica"), "config", "config.ini.php")), "config.ini.php not republished to the other region's share");
    return "update path; install marker unchanged; replica share has config.ini.php again";
  });

  rep.check("drill: primary database lost, replica promoted by config (mysql.source = secondary), tracking resumes on it", () => {
    r.db1.stop();
    const down = r.health("fe2");
    r.db2.must("STOP SLAVE");
    r.db2.must("RESET SLAVE ALL");
    r.db2.must("SET GLOBAL read_only = OFF");
    r.activeDb = r.db2;
    r.currentFrontend = r.payloads.frontendPromoted;
    r.currentArchiver = r.payloads.archiverPromoted;
    // As in Azure: custom data changed, so the archiver is replaced and the frontends roll.
    Net.killAll("arc");
    const a = r.boot(r.host("arc", "archiver"), r.currentArchiver);
    expect(a.code === 0, `archiver on the promoted server: ${tail(a, 8)}`);
    for (const fe of ["fe1", "fe2"]) {
      Net.killAll(fe);
      const f = r.boot(r.host(fe, "frontend"), r.currentFrontend);
      expect(f.code === 0, `${fe} on the promoted server: ${tail(f, 8)}`);
    }
    const host = r.hosts.fe2.read(PATHS.commonConfig).match(/^host = "([^"]+)"/m)?.[1];
    expect(host === r.promotedDbHost(), `fe2 uses DB host ${host}`);
    const before = visits(r);
    const code = track(r, "fe2");
    const after = visits(r);
    const health = ["fe1", "fe2"].map((f) => r.health(f));
    expect((code === 204 || code === 200) && after === before + 1, `tracking on the promoted server: ${code}, log_visit ${before} -> ${after}`);
    expect(
      health.every((c) => c === 200),
      `health: ${health}`,
    );
    return `health with primary down ${down}; DB host now ${host}; tracked ${code}; log_visit ${before} -> ${after}`;
  });

  upgradeDrill(r);
  capacityFigure(r);
}

/** Rolling upgrade: the archiver on the next release (core:update), fe1 still on the old code. */
function upgradeDrill(r: Rehearsal): void {
  const next = r.opts.nextRelease;
  if (!next || !r.opts.releaseKey) {
    r.report.skip("drill: rolling upgrade with one frontend on the old code", "needs --next-release PATH (the next Matomo release and its .asc)");
    return;
  }
  r.report.check("drill: rolling upgrade, the archiver migrates the schema only after every frontend runs the new code", () => {
    const version = tarballVersion(next);
    expect(keyFileFingerprint(r.opts.releaseKey!) === r.pin, "--next-release must be signed by the --release-key key");
    r.publishRelease(next, r.opts.releaseKey!);
    const payloads = withVersion(r, version, r.activeDb === r.db2);
    const schema = () => q(r, `SELECT option_value FROM ${table(r, "option")} WHERE option_name='version_core'`);
    const look = (fe: string) => {
      const ui = r.request(fe, "/index.php", { cert: r.client });
      const page = /already been upgraded/i.test(ui.body)
        ? "db-newer page"
        : /Database Upgrade Required|core:update/i.test(ui.body)
          ? "upgrade-required page"
          : /form_login|login_form/.test(ui.body)
            ? "login"
            : "other";
      return { health: r.health(fe), ui: `${ui.status} ${page}`, track: track(r, fe) };
    };
    const phases: string[] = [];
    // Safe means: whatever the load balancer keeps (health 200) tracks.
    const safe = (label: string, seen: Record<string, ReturnType<typeof look>>) => {
      phases.push(
        `${label}: ${Object.entries(seen)
          .map(([fe, x]) => `${fe} health ${x.health} UI ${x.ui} tracking ${x.track}`)
          .join("; ")}`,
      );
      const inPool = Object.values(seen).filter((x) => x.health === 200);
      expect(inPool.length > 0, `${label}: no frontend healthy`);
      expect(
        inPool.every((x) => x.track === 204 || x.track === 200),
        `${label}: a healthy frontend does not track`,
      );
    };
    // 1. The scale set rolls fe2 first; the archiver has not updated the schema yet.
    Net.killAll("fe2");
    const f = r.boot(r.host("fe2", "frontend"), payloads.frontend);
    expect(f.code === 0, `fe2 on ${version}: ${tail(f, 8)}`);
    safe(`new code, schema ${schema()}`, { fe1: look("fe1"), fe2: look("fe2") });
    // 2. The archiver is replaced while fe1 still runs the old code: it waits for the rollout
    //    (archiver.upgradeWaitMinutes, compressed here) and stops without migrating the schema.
    const before = schema();
    Net.killAll("arc");
    const a = r.boot(r.host("arc", "archiver"), payloads.archiver);
    const said = a.stdout + a.stderr;
    expect(a.code !== 0 && /core:update to \S+ postponed/.test(said), `archiver migrated with fe1 on the old code: ${tail(a, 8)}`);
    expect(/rehearsal-fe1 /.test(said) && !/rehearsal-fe2 /.test(said), `the frontends named are not exactly fe1: ${tail(a, 4)}`);
    expect(schema() === before, `schema changed from ${before} to ${schema()} while fe1 ran the old code`);
    const waited = (said.match(/waiting for the frontends' rollout/g) ?? []).length;
    const oldOnOld = look("fe1");
    safe(`archiver waits (${waited} polls), schema ${schema()}`, { fe1: oldOnOld, fe2: look("fe2") });
    expect(oldOnOld.health === 200, `old-code frontend health ${oldOnOld.health} while the schema is unchanged`);
    // 3. fe1 rolls too; the archiver's provisioning, restarted, now migrates.
    Net.killAll("fe1");
    const f1 = r.boot(r.host("fe1", "frontend"), payloads.frontend);
    expect(f1.code === 0, `fe1 on ${version}: ${tail(f1, 8)}`);
    look("fe1"); // its first probe reports the new code
    expect(r.olderFrontends(version).length === 0, `still reported older than ${version}: ${r.olderFrontends(version)}`);
    Net.killAll("arc");
    const migrated = r.boot(r.host("arc", "archiver"), payloads.archiver);
    expect(migrated.code === 0, `archiver on ${version} after the rollout: ${tail(migrated, 8)}`);
    expect(schema() === version, `schema ${schema()} after core:update, expected ${version}`);
    safe(`all new, schema ${schema()}`, { fe1: look("fe1"), fe2: look("fe2") });
    r.currentFrontend = payloads.frontend;
    // 4. Pinning the old release again is refused on the archiver (no schema downgrade).
    Net.killAll("arc");
    const back = r.boot(r.host("arc", "archiver"), r.currentArchiver);
    expect(back.code !== 0 && /refusing to run Matomo/.test(back.stdout + back.stderr), `downgrade not refused: ${tail(back)}`);
    Net.killAll("arc");
    const again = r.boot(r.host("arc", "archiver"), payloads.archiver);
    expect(again.code === 0, `archiver back on ${version}: ${tail(again, 6)}`);
    r.currentArchiver = payloads.archiver;
    return `${phases.join(" | ")} | pinning the old release again: refused`;
  });
}

/** CPU seconds used so far by the processes of a namespace, with their reaped children (FPM workers). */
export function cpuSeconds(statLines: readonly string[], ticksPerSecond: number): number {
  let ticks = 0;
  for (const line of statLines) {
    // Fields after the command name (which may contain spaces): utime, stime, cutime, cstime are 14-17.
    const f = line.slice(line.lastIndexOf(")") + 2).split(" ");
    ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return ticks / ticksPerSecond;
}

function namespaceCpu(ns: string): number {
  const lines: string[] = [];
  for (const pid of run("ip", ["netns", "pids", ns]).stdout.split(/\s+/).filter(Boolean)) {
    try {
      lines.push(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
      // exited meanwhile: its time is in its parent's children counters
    }
  }
  return cpuSeconds(lines, Number(run("getconf", ["CLK_TCK"]).stdout.trim()) || 100);
}

/**
 * Tracking requests per frontend vCPU beside an empty PHP script through the
 * same nginx location and PHP-FPM pool. Two views: throughput with the
 * frontend pinned to one CPU, and requests per CPU-second the frontend's
 * processes (nginx, PHP-FPM) actually used, which does not depend on how
 * fast this machine's database answers.
 */
function capacityFigure(r: Rehearsal): void {
  r.report.check("capacity: tracking requests/s per frontend vCPU (matomo.php) vs an empty PHP script", () => {
    const fe = r.hosts.fe2;
    // The frontend (nginx + PHP-FPM) gets CPU 1; load client and MariaDB share CPU 0.
    for (const pid of run("ip", ["netns", "pids", fe.ns]).stdout.split(/\s+/).filter(Boolean)) run("taskset", ["-a", "-cp", "1", pid]);
    for (const d of r.dbs) if (d.running()) run("taskset", ["-a", "-cp", "0", fs.readFileSync(path.join(d.dir, "mysqld.pid"), "utf8").trim()]);
    const load = (urlPath: string): LoadResult & { cpu: number; perCpuSecond: number } => {
      const cpu0 = namespaceCpu(fe.ns);
      const res = run(
        "ip",
        [
          "netns",
          "exec",
          fe.ns,
          "taskset",
          "-c",
          "0",
          process.execPath,
          path.join(__dirname, "capacity.js"),
          r.env.MATOMO_PUBLIC_HOSTNAME,
          urlPath,
          r.client.cert,
          r.client.key,
          r.ca.cert,
          "8",
          String(r.opts.capacitySeconds),
          "200000",
        ],
        { timeoutMs: (r.opts.capacitySeconds + 60) * 1000 },
      );
      const cpu = namespaceCpu(fe.ns) - cpu0;
      if (res.code !== 0) throw new Error(`load client: ${tail(res)}`);
      const result = JSON.parse(res.stdout.trim().split("\n").pop()!) as LoadResult;
      return { ...result, cpu, perCpuSecond: cpu > 0 ? Math.round((result.ok / cpu) * 10) / 10 : 0 };
    };
    const trackPath = `/matomo.php?idsite=1&rec=1&send_image=0&action_name=load&url=${encodeURIComponent("https://www.example.com/load/")}{n}`;
    load(trackPath.replace("load&", "warmup&")); // warm opcache and the pool
    const tracking = load(trackPath);
    const script = fe.file(`${PATHS.installDir}/matomo.php`);
    fs.renameSync(script, `${script}.rehearsal`);
    fs.writeFileSync(script, "<?php\n");
    let empty: ReturnType<typeof load>;
    try {
      run("sleep", ["3"]); // opcache.revalidate_freq
      empty = load("/matomo.php?n={n}");
    } finally {
      fs.renameSync(`${script}.rehearsal`, script);
    }
    expect(tracking.errors === 0 && empty.errors === 0, `errors: tracking ${JSON.stringify(tracking.statuses)}, empty ${JSON.stringify(empty.statuses)}`);
    const ratio = Math.round((tracking.perCpuSecond / empty.perCpuSecond) * 1000) / 10;
    const line =
      `tracking ${tracking.perCpuSecond} req per vCPU-second (${tracking.ok} hits, ${tracking.cpu.toFixed(1)} CPU-s; ${tracking.rps} req/s on the pinned CPU), ` +
      `empty PHP ${empty.perCpuSecond} req per vCPU-second (${empty.rps} req/s), ratio ${ratio} %`;
    process.stdout.write(`\n[rehearse] CAPACITY: ${line}\n\n`);
    fs.writeFileSync(path.join(r.root, "capacity.json"), JSON.stringify({ tracking, empty, ratio }));
    return line;
  });
}
