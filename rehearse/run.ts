/**
 * The rehearsal's checks and drills, in order. Entry point of `npm run rehearse`.
 */
import * as fs from "fs";
import * as path from "path";
import { BlueprintConfigInput } from "../config";
import { PATHS } from "../modules/cloud-init";
import { extractPayload, Payload, synthesizePayloads } from "./payload";
import { IMDS_IP, Net } from "./lab";
import { spawn } from "child_process";
import { cleanUpRun, expect, newRunRoot, parseArgs, Rehearsal, STUB_OLDER, STUB_VERSION, tail, TOO_OLD } from "./main";
import { SigningKey } from "./release";
import { run, waitFor } from "./sh";

const FE_ROLE = "frontend";

function infrastructure(r: Rehearsal): void {
  const rep = r.report;
  rep.check("stand-in: instance metadata token needs the Metadata header", () => {
    const url = `http://${IMDS_IP}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net`;
    const bad = run("ip", ["netns", "exec", "rh-fe1", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", url]);
    const good = run("ip", ["netns", "exec", "rh-fe1", "curl", "-sf", "-H", "Metadata: true", url]);
    expect(bad.stdout === "400", `without header: ${bad.stdout}`);
    expect(good.code === 0 && JSON.parse(good.stdout).access_token, `with header: ${tail(good)}`);
    return "400 without, token with";
  });
  rep.check("stand-in: Key Vault refuses a request without the token", () => {
    const a = run("ip", [
      "netns",
      "exec",
      "rh-svc",
      "curl",
      "-s",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code}",
      "--cacert",
      r.ca.cert,
      "--resolve",
      `${r.env.MATOMO_KEY_VAULT_NAME}.vault.azure.net:443:127.0.0.1`,
      `https://${r.env.MATOMO_KEY_VAULT_NAME}.vault.azure.net/secrets/${r.env.MATOMO_SECRET_SALT}?api-version=7.4`,
    ]);
    expect(a.stdout === "401", `got ${a.stdout}`);
    return "401";
  });

  const admin = r.archEnv.MATOMO_DB_ADMIN_USER;
  rep.check("MariaDB primary + replica: TLS required, GTID replication over verified TLS", () => {
    for (const d of r.dbs) d.init();
    r.db1.start(false);
    r.db1.must(`CREATE USER '${admin}'@'%' IDENTIFIED BY '${r.dbAdmin()}' REQUIRE SSL`);
    r.db1.must(`GRANT ALL PRIVILEGES ON *.* TO '${admin}'@'%' WITH GRANT OPTION`);
    r.db1.must(`CREATE DATABASE ${r.archEnv.MATOMO_DB_NAME} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
    r.db1.must("CREATE USER 'repl'@'%' IDENTIFIED BY 'repl-rehearsal-only' REQUIRE SSL");
    r.db1.must("GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'");
    r.db2.start(true);
    r.db2.must(
      `CHANGE MASTER TO MASTER_HOST='${r.db1.ip}', MASTER_USER='repl', MASTER_PASSWORD='repl-rehearsal-only', MASTER_SSL=1, MASTER_SSL_CA='${r.ca.cert}', MASTER_SSL_VERIFY_SERVER_CERT=1, MASTER_USE_GTID=slave_pos`,
    );
    r.db2.must("START SLAVE");
    // A user without REQUIRE SSL still cannot log in without TLS: the server refuses insecure transport.
    r.db1.must("CREATE USER 'rehearsal_probe'@'%' IDENTIFIED BY 'probe-rehearsal-only'");
    const plain = r.db1.tcp("rh-fe1", "rehearsal_probe", "probe-rehearsal-only", "SELECT 1");
    const probeTls = r.db1.tcp("rh-fe1", "rehearsal_probe", "probe-rehearsal-only", "SELECT 1", r.db1.ip);
    r.db1.must("DROP USER 'rehearsal_probe'@'%'");
    expect(plain.code !== 0, "a login without TLS was accepted");
    expect(probeTls.code === 0, `the same login with TLS failed: ${tail(probeTls)}`);
    const tls = r.db1.tcp("rh-fe1", admin, r.dbAdmin(), "SHOW STATUS LIKE 'Ssl_version'", r.db1.ip);
    expect(tls.code === 0 && /TLSv1\.[23]/.test(tls.stdout), `TLS login failed: ${tail(tls)}`);
    r.db1.must("CREATE TABLE rehearsal_probe (id INT PRIMARY KEY) ENGINE=InnoDB", r.archEnv.MATOMO_DB_NAME);
    r.db1.must("INSERT INTO rehearsal_probe VALUES (42)", r.archEnv.MATOMO_DB_NAME);
    const seen = () => r.db2.sql("SELECT id FROM rehearsal_probe", r.archEnv.MATOMO_DB_NAME).stdout.trim() === "42";
    expect(waitFor(seen, 30_000), `replica did not apply the probe row: ${JSON.stringify(r.db2.fields("SHOW SLAVE STATUS")).slice(0, 1500)}`);
    const st = r.db2.fields("SHOW SLAVE STATUS");
    expect(
      st.Master_SSL_Allowed === "Yes" && st.Master_SSL_Verify_Server_Cert === "Yes",
      `replication is not over verified TLS: ${JSON.stringify(st).slice(0, 600)}`,
    );
    expect(r.db2.must("SELECT @@read_only") === "1", "replica is writable");
    r.db1.must("DROP TABLE rehearsal_probe", r.archEnv.MATOMO_DB_NAME);
    return `plain TCP refused (${firstErr(plain)}); ${tls.stdout.trim().replace(/\s+/g, " ")}; probe row replicated`;
  });
}

function firstErr(x: { stderr: string }): string {
  return x.stderr.trim().split("\n")[0].slice(0, 100);
}

/** Frontends with the stub release: provisioning, nginx's client-certificate check, /healthz. */
function frontendsWithoutMatomo(r: Rehearsal): void {
  const rep = r.report;
  const arc = r.host("arc", "archiver");
  rep.check("archiver provisioning without Matomo stops at the install, fail closed (stub release)", () => {
    const res = r.boot(arc, r.payloads.archiver);
    expect(res.code !== 0, "provisioning claimed success with a stub release");
    expect(!arc.exists(PATHS.readyFile), "ready marker written");
    const log = arc.read("/var/log/matomo-provision.log");
    expect(/database state: empty/.test(log), `did not reach the install decision: ${tail(res)}`);
    const user = r.db1.must(`SELECT ssl_type FROM mysql.user WHERE user='${r.archEnv.MATOMO_DB_USER}'`);
    expect(user === "ANY", `Matomo DB user not created TLS-only (ssl_type '${user}')`);
    expect(fs.existsSync(path.join(r.shareDir("primary"), path.basename(PATHS.shareMarker))), "share not seeded");
    return "secrets, release, share seeded, DB user created REQUIRE SSL by ensure-user; setup.php failed as expected";
  });
  // What an install would leave, standing in for the archiver's work: the schema's
  // version in the option table and the published config.ini.php.
  r.db1.must(
    `CREATE TABLE ${r.optionTable} (option_name VARCHAR(191) NOT NULL PRIMARY KEY, option_value LONGTEXT NOT NULL, autoload TINYINT NOT NULL DEFAULT 1)`,
  );
  r.db1.must(`INSERT INTO ${r.optionTable} VALUES ('version_core', '${STUB_VERSION}', 1)`);
  fs.mkdirSync(path.join(r.shareDir("primary"), "config"), { recursive: true });
  fs.writeFileSync(
    path.join(r.shareDir("primary"), "config", "config.ini.php"),
    "; <?php exit; ?> DO NOT REMOVE THIS LINE\n; rehearsal stand-in for the archiver's published config\n",
  );
  run("chown", ["-R", "www-data:www-data", path.join(r.shareDir("primary"), "config")]);
  provisionFrontends(r);
  rep.check("nginx with the stub release: 403 without the client certificate, 200 with it", () => {
    const none = r.request("fe1", "/index.php");
    const good = r.request("fe1", "/index.php", { cert: r.client });
    const track = r.request("fe1", "/matomo.php?idsite=1&rec=1", { cert: r.client });
    expect(none.status === 403, `no cert: ${none.status}`);
    expect(good.status === 200 && /stub/.test(good.body), `cert: ${good.status}`);
    expect(track.status === 200, `tracker with cert: ${track.status}`);
    return "index.php 403/200, matomo.php 200 with the certificate";
  });
  edgeChecks(r);
  healthDrill(r);
  codeReports(r);
}

/** The frontends' code-version reports (healthz.php) and the archiver's query over them, on MariaDB. */
export function codeReports(r: Rehearsal): void {
  r.report.check("frontends report their code version through /healthz; the archiver lists those older than a release", () => {
    r.health("fe1");
    r.health("fe2");
    const reports = r.frontendReports();
    expect(
      reports["rehearsal-fe1"] === STUB_VERSION && reports["rehearsal-fe2"] === STUB_VERSION,
      `reports ${JSON.stringify(reports)}, expected both frontends on ${STUB_VERSION}`,
    );
    const newer = r.olderFrontends("99.0.0");
    const same = r.olderFrontends(STUB_VERSION);
    expect(newer.join(",") === `rehearsal-fe1 ${STUB_VERSION},rehearsal-fe2 ${STUB_VERSION}`, `older than 99.0.0: ${JSON.stringify(newer)}`);
    expect(same.length === 0, `older than ${STUB_VERSION}: ${JSON.stringify(same)}`);
    return `${Object.entries(reports)
      .map(([h, v]) => `${h} ${v}`)
      .join(", ")}; older than 99.0.0: both; older than ${STUB_VERSION}: none`;
  });
}

/** What nginx answers whatever the tree: foreign client CA, other host names, denied paths, the open health path. */
export function edgeChecks(r: Rehearsal): void {
  r.report.check("nginx: foreign client CA 400, other host 421, /config 403; health needs the certificate except for the platform probe", () => {
    const foreign = r.request("fe1", "/index.php", { cert: r.strangerClient });
    const other = r.request("fe1", "/index.php", { cert: r.client, host: "other.example.net" });
    const otherHealth = r.request("fe1", r.healthPath, { host: "other.example.net" });
    const config = r.request("fe1", "/config/config.ini.php", { cert: r.client });
    const dotfile = r.request("fe1", "/.git/config", { cert: r.client });
    const healthNoCert = r.request("fe1", r.healthPath);
    const health = r.health("fe1");
    // The scale set's health extension: loopback, by address, no certificate.
    const probe = run(
      "ip",
      ["netns", "exec", "rh-fe1", "curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", `https://127.0.0.1${r.healthPath}`],
      { timeoutMs: 30_000 },
    ).stdout;
    expect(foreign.status === 400, `foreign cert: ${foreign.status}`);
    expect(other.status === 421 && otherHealth.status === 421, `other host: ${other.status}, its health path ${otherHealth.status}`);
    expect(config.status === 403 && dotfile.status === 403, `config ${config.status}, dotfile ${dotfile.status}`);
    expect(healthNoCert.status === 403 && health === 200, `health without cert ${healthNoCert.status}, with ${health}`);
    expect(probe === "200", `health from the platform probe (loopback): ${probe}`);
    return "400 / 421 (health too) / 403; health 403 without, 200 with the certificate, 200 for the loopback probe";
  });
}

export function provisionFrontends(r: Rehearsal): void {
  for (const name of ["fe1", "fe2"]) {
    r.report.check(`${name}: unattended provisioning (cloud-init write_files + runcmd)`, () => {
      const h = r.host(name, FE_ROLE);
      const res = r.boot(h, r.payloads.frontend);
      expect(res.code === 0, `provisioning failed: ${tail(res, 10)}`);
      expect(h.exists(PATHS.readyFile), "no ready marker");
      return `${(res.ms / 1000).toFixed(1)} s`;
    });
  }
  r.report.check("fe1: provisioning again (reboot) is idempotent", () => {
    const h = r.hosts.fe1;
    const res = r.reprovision(h);
    expect(res.code === 0, `second run failed: ${tail(res)}`);
    expect(/already installed/.test(res.stdout + res.stderr), "release downloaded again");
    const fstab = h
      .read("/etc/fstab")
      .split("\n")
      .filter((l) => l.includes(r.env.MATOMO_SHARE_MOUNT));
    expect(fstab.length === 1, `${fstab.length} fstab lines for the share`);
    return "release kept, one fstab line";
  });
}

export function healthDrill(r: Rehearsal): void {
  const codes = () => ["fe1", "fe2"].map((f) => r.health(f));
  r.report.check("/healthz 503 while the database schema is newer than the code", () => {
    const current = r.activeDb.must(`SELECT option_value FROM ${r.optionTable} WHERE option_name = 'version_core'`);
    r.activeDb.must(`UPDATE ${r.optionTable} SET option_value = '99.0.0' WHERE option_name = 'version_core'`);
    const newer = codes();
    r.activeDb.must(`UPDATE ${r.optionTable} SET option_value = '${current}' WHERE option_name = 'version_core'`);
    const back = codes();
    expect(
      newer.every((c) => c === 503),
      `schema 99.0.0 over code ${current}: ${newer}`,
    );
    expect(
      back.every((c) => c === 200),
      `schema back at ${current}: ${back}`,
    );
    return `${newer} -> ${back}`;
  });
  r.report.check("/healthz 200 on both frontends, 503 with the database down, 200 again after", () => {
    const up = codes();
    expect(
      up.every((c) => c === 200),
      `up: ${up}`,
    );
    r.activeDb.stop();
    const down = codes();
    r.activeDb.start(false);
    const back = codes();
    expect(
      down.every((c) => c === 503),
      `database down: ${down}`,
    );
    expect(
      back.every((c) => c === 200),
      `database back: ${back}`,
    );
    return `${up} -> ${down} -> ${back}`;
  });
}

/** The payload's refusals on a scratch frontend: each leaves the VM unhealthy with the tree untouched. */
function refusals(r: Rehearsal): void {
  const rep = r.report;
  const rf = r.host("rf", FE_ROLE);
  const stubPin = r.stubKey.fingerprint;
  const saved = path.join(r.root, "releases-saved");
  fs.cpSync(r.releaseDir, saved, { recursive: true });
  const restore = () => {
    fs.rmSync(r.releaseDir, { recursive: true, force: true });
    fs.cpSync(saved, r.releaseDir, { recursive: true });
  };
  // rf pins the stub key and the stub version, whatever the main hosts run.
  const stubPayload = r.version === STUB_VERSION ? r.payloads.frontend : withVersion(r, STUB_VERSION).frontend;
  const refused = (label: string, setUp: () => void, pattern: RegExp, pin = stubPin, payload = stubPayload) => {
    rep.check(`refusal: ${label}`, () => {
      restore();
      r.publishStub(STUB_VERSION);
      setUp();
      const res = r.boot(rf, payload, pin);
      const out = res.stdout + res.stderr;
      expect(res.code !== 0, "provisioning succeeded");
      expect(pattern.test(out), `failed for another reason: ${tail(res)}`);
      expect(!rf.exists(PATHS.readyFile), "ready marker written");
      expect(!rf.exists(`${PATHS.installDir}/core/Version.php`), "a release was installed");
      return (out.match(pattern)?.[0] ?? "").slice(0, 120);
    });
  };
  refused(
    "missing Key Vault secret",
    () => fs.renameSync(path.join(r.secretsDir, r.env.MATOMO_SECRET_SALT), path.join(r.root, "salt.away")),
    /could not read secret '[^']+'/,
  );
  fs.renameSync(path.join(r.root, "salt.away"), path.join(r.secretsDir, r.env.MATOMO_SECRET_SALT));
  refused(
    "tampered release (bad signature)",
    () => {
      fs.appendFileSync(path.join(r.releaseDir, `matomo-${STUB_VERSION}.tar.gz`), "tampered");
    },
    /signature check FAILED/,
  );
  refused(
    "release signed by a key with another fingerprint",
    () => {
      const other = new SigningKey(path.join(r.root, "gpg-other"), "someone else");
      r.publishStub(STUB_VERSION, other);
    },
    /is not [0-9A-F]{40}/,
  );
  rep.check(`refusal: pin older than the headless install supports (${TOO_OLD}) stops the synth`, () => {
    try {
      withVersion(r, TOO_OLD);
    } catch (err) {
      const m = String(err instanceof Error ? err.message : err);
      expect(/matomo\.version/.test(m), `refused for another reason: ${m}`);
      return m
        .split("\n")
        .find((l) => l.includes("matomo.version"))
        ?.trim()
        .slice(0, 140);
    }
    throw new Error(`matomo.version ${TOO_OLD} was synthesized`);
  });
  if (r.opts.release) {
    rep.skip("refusal: downgrade below the database's schema (archiver)", "covered by the rolling-upgrade drill (needs --next-release)");
  } else {
    rep.check(`refusal: downgrade below the database's schema (archiver pinned ${STUB_OLDER}, schema ${STUB_VERSION})`, () => {
      restore();
      r.publishStub(STUB_OLDER);
      const arc = r.host("rf", "archiver");
      const res = r.boot(arc, withVersion(r, STUB_OLDER).archiver, stubPin);
      const out = res.stdout + res.stderr;
      expect(res.code !== 0, "provisioning succeeded");
      const m = /refusing to run Matomo [^:]+: the database was already upgraded to [0-9.]+/.exec(out);
      expect(m !== null, `failed for another reason: ${tail(res)}`);
      expect(!arc.exists(PATHS.readyFile), "ready marker written");
      expect(r.db1.must(`SELECT option_value FROM ${r.optionTable} WHERE option_name = 'version_core'`) === STUB_VERSION, "schema version changed");
      return m![0];
    });
  }
  restore();
  Net.killAll("rf");
}

const versionPayloads = new Map<string, { frontend: Payload; archiver: Payload }>();

/** The payloads synthesized from the same config with another `matomo.version`. */
export function withVersion(r: Rehearsal, version: string, promoted = false): { frontend: Payload; archiver: Payload } {
  let p = versionPayloads.get(`${version}/${promoted}`);
  if (!p) {
    const both = synthesizePayloads((c: BlueprintConfigInput) => {
      c.matomo = { ...c.matomo, version };
      if (promoted) c.mysql = { ...(c.mysql ?? {}), source: "secondary", readReplica: false };
    }, r.root);
    p = { frontend: extractPayload(both.frontend), archiver: extractPayload(both.archiver) };
    versionPayloads.set(`${version}/${promoted}`, p);
  }
  return p;
}

/** The work, in the child process the supervisor started (`--child-root`). */
export async function main(argv: readonly string[]): Promise<number> {
  const opts = parseArgs(argv);
  if (!opts.childRoot) throw new Error("internal: main() runs under the supervisor (--child-root)");
  const r = new Rehearsal(opts, opts.childRoot);
  try {
    r.report.check("payloads: synthesized from the example config, custom data decoded", () => {
      r.render();
      return `Matomo ${r.version}; frontend ${r.payloads.frontend.files.length} files, archiver ${r.payloads.archiver.files.length} files; promoted DB host ${r.promotedDbHost()}`;
    });
    r.setUp();
    infrastructure(r);
    if (opts.release) {
      const { withMatomo } = require("./matomo") as typeof import("./matomo");
      await withMatomo(r);
    } else {
      frontendsWithoutMatomo(r);
      process.stdout.write(
        "\n[rehearse] !!!!! SKIPPED: every Matomo part (install, re-run, effective config, UI, tracking, log_visit, core:archive, frontend crons, drills, capacity): no release given; run with --release PATH --release-key KEY (docs/rehearsal.md) !!!!!\n\n",
      );
      for (const n of [
        "install + idempotent re-run",
        "effective config",
        "UI and tracking",
        "log_visit",
        "core:archive",
        "frontend crons",
        "drill: frontend killed",
        "drill: replica promoted",
        "drill: archiver re-created",
        "drill: rolling upgrade",
        "capacity",
      ]) {
        r.report.skip(`Matomo: ${n}`, "no release (--release)");
      }
    }
    refusals(r);
  } catch (err) {
    r.report.check("rehearsal set-up", () => {
      throw err;
    });
  } finally {
    r.cleanUp();
  }
  process.stdout.write(`\n${r.report.table()}\n`);
  return r.report.failed === 0 ? 0 : 1;
}

/**
 * The supervisor: validates the options, runs the work in a child process and
 * cleans up from the run directory whatever happens to the child, also on
 * Ctrl-C or SIGTERM (the child works synchronously and could not react).
 */
function supervise(argv: readonly string[]): void {
  const opts = parseArgs(argv);
  if (process.getuid?.() !== 0) throw new Error("npm run rehearse must run as root (network namespaces and bind mounts)");
  const root = newRunRoot();
  const child = spawn(process.execPath, [__filename, ...argv, "--child-root", root], { stdio: "inherit" });
  let stopping = false;
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`\n[rehearse] ${sig}: stopping and cleaning up\n`);
      child.kill("SIGKILL");
    });
  }
  child.on("exit", (code) => {
    cleanUpRun(root, opts.keep);
    process.exit(stopping ? 130 : (code ?? 1));
  });
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const fail = (err: unknown) => {
    process.stderr.write(`rehearse: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  };
  try {
    if (argv.includes("--child-root")) main(argv).then((code) => process.exit(code), fail);
    else supervise(argv);
  } catch (err) {
    fail(err);
  }
}
