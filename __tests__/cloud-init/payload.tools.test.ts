/**
 * The payload's scripts run for real (bash, PHP, gpg, gzip) in a temp dir,
 * with the VM's outside world stubbed on PATH: curl serves local files,
 * runuser drops nothing, Matomo's console and the DB tool print what a test
 * sets. One test per defect a real Matomo 5 run found (issue 9).
 */
import * as fs from "fs";
import * as path from "path";
import { gzipSync } from "zlib";
import {
  GEOIP_MIN_BYTES,
  MATOMO_MIN_VERSION,
  MatomoSettingsError,
  PATHS,
  isMatomoVersionAtLeast,
  renderArchiverCloudInit,
  renderFrontendCloudInit,
  scriptForVm,
} from "../../modules/cloud-init";
import { readAsset } from "../../modules/cloud-init/assets";
import { ARCHIVER_SETTINGS, FRONTEND_SETTINGS, RunResult, fileAt, parseCloudConfig, run, tmpDir, tool } from "./fixture";

const php = tool("php", "php-cli");
const gpg = tool("gpg", "gnupg");
const sqlite = tool("php", "php-sqlite3");
const rsync = tool("rsync", "rsync");

const frontend = parseCloudConfig(renderFrontendCloudInit(FRONTEND_SETTINGS));
const archiver = parseCloudConfig(renderArchiverCloudInit(ARCHIVER_SETTINGS));
const work = tmpDir("payload");
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const content = (doc: typeof archiver, p: string) => fileAt(doc, p).content;
function write(file: string, text: string | Buffer, mode = 0o644): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
  return file;
}
const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
const show = (r: RunResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

// Both roles' scripts side by side, as on the VMs (they source lib.sh next to them).
const libDir = path.join(work, "lib");
for (const doc of [frontend, archiver]) {
  for (const f of doc.write_files) {
    if (f.path.startsWith(`${PATHS.libDir}/`)) write(path.join(libDir, path.basename(f.path)), f.content, 0o755);
  }
}
const realPhp = ["/usr/bin/php", "/usr/local/bin/php"].find((p) => fs.existsSync(p)) ?? "php";

/**
 * A VM in a directory: the rendered env file with its paths moved under
 * `root`, plus stubs on PATH. Calls to stubs are appended to `calls`.
 */
function vm(name: string, role: "frontend" | "archiver", extra: Record<string, string> = {}) {
  const root = path.join(work, name);
  const calls = path.join(root, "calls.log");
  const stubs = path.join(root, "stubs");
  const at = (p: string) => path.join(root, p);
  const env: Record<string, string> = {
    MATOMO_INSTALL_DIR: at("www/matomo"),
    MATOMO_RUN_DIR: at("run"),
    MATOMO_READY_FILE: at("run/ready"),
    MATOMO_STATE_DIR: at("state"),
    MATOMO_RELEASE_MARKER: at("state/release"),
    MATOMO_SHARE_MOUNT: at("share"),
    MATOMO_SHARE_MARKER: at("share/.matomo-shared-set"),
    MATOMO_GEOIP_DB: at("share/misc/DBIP-City.mmdb"),
    MATOMO_MAINTENANCE_LOCK: at("maintenance.lock"),
    MATOMO_LIB_DIR: libDir,
    MATOMO_INSTALL_FILE: at("install.json"),
    MATOMO_GEOIP_BASE_URL: "https://geoip.invalid/free",
    MATOMO_RELEASE_BASE_URL: "https://builds.invalid",
    ...extra,
  };
  const rendered = content(role === "frontend" ? frontend : archiver, PATHS.envFile);
  const envFile = write(
    at("matomo.env"),
    `${rendered}\n${Object.entries(env)
      .map(([k, v]) => `${k}='${v}'`)
      .join("\n")}\n`,
  );
  for (const d of ["run", "state", "share/config", "share/misc/user", "www/matomo/config", "served"]) fs.mkdirSync(at(d), { recursive: true });
  write(at("maintenance.lock"), "");
  // Matomo's console and the DB tool: log the call, answer from files the test writes.
  const stub = (cmd: string, body: string) => write(path.join(stubs, cmd), `#!/bin/bash\n${body}\n`, 0o755);
  stub("id", '[ "$1" = -u ] && { echo 0; exit 0; }; exec /usr/bin/id "$@"');
  stub("runuser", 'while [ "$1" != -- ]; do shift; done; shift; exec "$@"');
  stub("chown", "exit 0");
  // Owners need root; the modes and paths are what the tests look at.
  stub("install", 'a=(); while [ $# -gt 0 ]; do case "$1" in -o|-g) shift 2 ;; *) a+=("$1"); shift ;; esac; done; exec /usr/bin/install "${a[@]}"');
  // With only "-t TAG" logger reads the message from stdin (job.sh's output pipe).
  stub("logger", `{ printf 'logger %s\\n' "$*"; [ $# -gt 2 ] || cat; } >>'${calls}'`);
  stub(
    "curl",
    `url="\${@: -1}"; out=""; while [ $# -gt 0 ]; do [ "$1" = -o ] && out="$2"; shift; done
echo "curl $url" >>'${calls}'; src='${at("served")}'/"$(basename "$url")"; [ -f "$src" ] || exit 22; cp "$src" "$out"`,
  );
  stub(
    "php",
    `case "$1" in
*/dbtool.php) echo "dbtool $2\${4:+ \${*:4}}" >>'${calls}'; cat '${at("db")}'."$2" 2>/dev/null || true ;;
*/console) shift; echo "console $*" >>'${calls}'; [ ! -x '${at("console-effect")}' ] || '${at("console-effect")}' "$@" ;;
*/setup.php) echo "setup $2" >>'${calls}'; [ ! -x '${at("setup-effect")}' ] || '${at("setup-effect")}' "$@" ;;
*/render-config.php) echo "render-config" >>'${calls}' ;;
*) exec '${realPhp}' "$@" ;;
esac`,
  );
  const exec = (script: string, args: string[] = []) =>
    run("bash", [path.join(libDir, script), ...args], { env: { ...process.env, PATH: `${stubs}:${process.env.PATH}`, MATOMO_ENV_FILE: envFile } });
  const shell = (code: string) =>
    run("bash", ["-c", `set -euo pipefail; . '${path.join(libDir, "lib.sh")}'; ${code}`], {
      env: { ...process.env, PATH: `${stubs}:${process.env.PATH}`, MATOMO_ENV_FILE: envFile },
    });
  return {
    root,
    at,
    env,
    calls: () => read(calls).split("\n").filter(Boolean),
    exec,
    shell,
    write: (p: string, t: string | Buffer, m?: number) => write(at(p), t, m),
  };
}

const PLUGINS_WITHOUT_TM = '; <?php exit; ?>\n[Plugins]\nPlugins[] = "CoreHome"\nPlugins[] = "CustomJsTracker"\n';
const PLUGINS_WITH_TM = `${PLUGINS_WITHOUT_TM}Plugins[] = "TagManager"\n`;

describe("1. Tag Manager is activated on the archiver; frontends skip until it is", () => {
  test("the archiver activates the required plugins after install and after core:update", () => {
    const maintenance = content(archiver, `${PATHS.libDir}/maintenance.sh`);
    const install = maintenance.slice(maintenance.indexOf("run_install() {"));
    expect(install.indexOf("activate_required_plugins")).toBeLessThan(install.indexOf("publish_config"));
    const update = maintenance.slice(maintenance.indexOf("run_update() {"));
    expect(update.indexOf('setup.php" install-plugins')).toBeLessThan(update.indexOf("activate_required_plugins"));
    expect(content(archiver, PATHS.envFile)).toContain("MATOMO_REQUIRED_PLUGINS='TagManager'");
    expect(content(frontend, PATHS.envFile)).not.toContain("MATOMO_REQUIRED_PLUGINS");
  });

  php.test(`matomo_plugin_active follows Matomo's config chain (global, common, then config.ini.php)${php.label}`, async () => {
    const v = vm("plugins", "frontend");
    v.write("www/matomo/config/global.ini.php", PLUGINS_WITHOUT_TM);
    const config = v.at("www/matomo/config/config.ini.php");
    const r = await v.shell(`for p in TagManager CoreHome; do matomo_plugin_active $p && echo "$p 0" || echo "$p 1"; done
printf '%s' '${PLUGINS_WITH_TM}' >'${config}'; matomo_plugin_active TagManager && echo "with 0" || echo "with 1"
printf '[Plugins]\\nPlugins[] = "TagManager"\\n' >'${config}'
for p in TagManager CoreHome; do matomo_plugin_active $p && echo "$p 0" || echo "$p 1"; done`);
    // A later file's list replaces the earlier one entirely.
    expect(r.stdout.trim().split("\n")).toEqual(["TagManager 1", "CoreHome 0", "with 0", "TagManager 0", "CoreHome 1"]);
  });

  php.test(`the frontend's every-minute job skips quietly while Tag Manager is inactive, runs once it is${php.label}`, async () => {
    const v = vm("tagmanager", "frontend");
    v.write("run/ready", "x");
    v.write("www/matomo/config/global.ini.php", PLUGINS_WITHOUT_TM);
    v.write("www/matomo/config/config.ini.php", PLUGINS_WITHOUT_TM);
    const skipped = await v.exec("job.sh", ["tagmanager"]);
    expect(skipped.code).toBe(0);
    await new Promise((r) => setTimeout(r, 300)); // the job's logger pipe drains after exit
    expect(v.calls().filter((c) => c.startsWith("console"))).toEqual([]);
    expect(v.calls().filter((c) => !c.startsWith("logger"))).toEqual([]);

    v.write("www/matomo/config/config.ini.php", PLUGINS_WITH_TM);
    const ran = await v.exec("job.sh", ["tagmanager"]);
    expect(ran.code).toBe(0);
    expect(v.calls()).toContain("console --no-ansi tagmanager:regenerate-released-containers");
  });

  php.test(`an upgrade activates Tag Manager when it is inactive, and fails when activation does not take${php.label}`, async () => {
    const v = vm("activate", "archiver");
    v.write("www/matomo/config/global.ini.php", PLUGINS_WITHOUT_TM);
    v.write("share/config/config.ini.php", PLUGINS_WITHOUT_TM);
    v.write("db.state", "installed\n");
    v.write("db.db-version", "5.10.0\n");
    // plugin:activate writes the list into config.ini.php, as Matomo does.
    v.write(
      "console-effect",
      `#!/bin/bash\n[ "$1 $2" = "--no-ansi plugin:activate" ] && printf '%s' '${PLUGINS_WITH_TM}' >'${v.at("share/config/config.ini.php")}'\nexit 0\n`,
      0o755,
    );
    const r = await v.exec("maintenance.sh", ["install-or-update"]);
    if (r.code !== 0) throw new Error(show(r));
    expect(v.calls().filter((c) => /^(console|setup)/.test(c))).toEqual([
      "console --no-ansi core:update --yes",
      "setup install-plugins",
      "console --no-ansi plugin:activate TagManager",
      "console --no-ansi core:update --yes",
    ]);
    // plugin:activate exits 0 even when it cannot activate; the check after it does not.
    v.write("share/config/config.ini.php", PLUGINS_WITHOUT_TM);
    fs.rmSync(v.at("console-effect"));
    const failed = await v.exec("maintenance.sh", ["install-or-update"]);
    expect([failed.code, failed.stderr]).toEqual([1, expect.stringContaining("plugin TagManager is still not active after plugin:activate")]);
  });
});

/** Just enough of Matomo's classes for setup.php, with state in a JSON file. */
const FAKE_MATOMO = String.raw`<?php
namespace Piwik { 
  function st(?array $s = null) { $f = getenv('FAKE_STATE'); if ($s !== null) { file_put_contents($f, json_encode($s)); return $s; } return json_decode(file_get_contents($f), true); }
  function call(string $c) { $s = st(); $s['calls'][] = $c; st($s); }
  class Access { static function getInstance() { return new self(); } static function doAsSuperUser(callable $f) { return $f(); } }
  class Common { static function prefixTable($t) { return 'matomo_' . $t; } }
  class Config { static $i; public $database = ['charset' => 'utf8mb4']; public $General = []; static function getInstance() { return self::$i ??= new self(); } function forceSave() { call('forceSave'); } }
  class Db { static function fetchOne($sql) { return 'anonymous'; } }
  class DbHelper { static function __callStatic($n, $a) { call($n); return 'utf8mb4_general_ci'; } }
  class Option { static function set($k, $v) { call("option $k"); } }
  class Piwik { static function postEvent($e) {} }
  class Updater { function getComponentUpdates() { return []; } static function recordComponentSuccessfullyUpdated($c, $v) {} }
  class Url { static function setHost($h) {} }
  class Version { const VERSION = '5.10.0'; }
}
namespace Piwik\Application { class Environment { function __construct($e) {} function init() {} } }
namespace Piwik\ArchiveProcessor { class Rules { static function setBrowserTriggerArchiving($b) {} } }
namespace Piwik\Plugin { class Manager { static function getInstance() { return new self(); } function __call($n, $a) {} } }
namespace Piwik\Plugins\SitesManager { class API { static function getInstance() { return new self(); } function getAllSitesId() { return [1]; } } }
namespace Piwik\Plugins\UsersManager {
  use function Piwik\{st, call};
  class API {
    static function getInstance() { return new self(); }
    function getUsersHavingSuperUserAccess() { return array_keys(array_filter(st()['users'])); }
    function userExists($l) { return array_key_exists($l, st()['users']); }
    function addUser($l, $p, $e) { if ($this->userExists($l)) throw new \Exception("Username '$l' already exists."); $s = st(); $s['users'][$l] = false; st($s); call("addUser $l"); }
  }
  class UserUpdater { function setSuperUserAccessWithoutCurrentPassword($l, $b) { $s = st(); $s['users'][$l] = $b; st($s); call("grant $l"); } }
}
namespace Piwik\Plugins\UserCountry { use function Piwik\{st, call};
  class LocationProvider { static function getCurrentProviderId() { return st()['provider']; } static function setCurrentProvider($id) { $s = st(); $s['provider'] = $id; st($s); call("provider $id"); } } }
namespace Piwik\Plugins\UserCountry\LocationProvider { class DefaultProvider { const ID = 'default'; } }
namespace Piwik\Plugins\GeoIp2\LocationProvider\GeoIp2 { class Php { const ID = 'geoip2php'; } }
`;

describe("2. an install interrupted between creating the Super User and the grant resumes", () => {
  const root = path.join(work, "fake-matomo");
  const setup = async (command: string, state: object) => {
    write(path.join(root, "core/bootstrap.php"), FAKE_MATOMO);
    const stateFile = write(path.join(root, `state-${command}.json`), JSON.stringify(state));
    const installJson = write(path.join(root, "install.json"), content(archiver, PATHS.installFile));
    const r = await run("php", [path.join(libDir, "setup.php"), command, root, installJson], {
      input: "Sup3r-Secret-pw\n",
      env: { ...process.env, FAKE_STATE: stateFile },
    });
    return { r, state: JSON.parse(read(stateFile)) as { users: Record<string, boolean>; calls: string[]; provider: string } };
  };

  php.test(`a fresh install creates the Super User and grants it${php.label}`, async () => {
    const { r, state } = await setup("install", { users: { anonymous: false }, calls: [], provider: "default" });
    if (r.code !== 0) throw new Error(show(r));
    expect(state.users.superuser).toBe(true);
    expect(state.calls.filter((c) => /^(addUser|grant)/.test(c))).toEqual(["addUser superuser", "grant superuser"]);
    expect(state.calls).toContain("option blueprint_install_completed");
  });

  php.test(`a retry finds the user without the grant and completes it instead of failing on "already exists"${php.label}`, async () => {
    const { r, state } = await setup("install", { users: { anonymous: false, superuser: false }, calls: [], provider: "default" });
    if (r.code !== 0) throw new Error(show(r));
    expect(r.stderr).toContain("exists without super-user access (interrupted install); granting it");
    expect(state.calls.filter((c) => /^(addUser|grant)/.test(c))).toEqual(["grant superuser"]);
    expect(state.users.superuser).toBe(true);
    expect(state.calls).toContain("option blueprint_install_completed");
  });

  php.test(`GeoIP2 becomes the location provider unless a Super User chose one${php.label}`, async () => {
    expect((await setup("location-provider", { users: {}, calls: [], provider: "default" })).state.provider).toBe("geoip2php");
    const chosen = await setup("location-provider", { users: {}, calls: [], provider: "disabled" });
    expect([chosen.r.code, chosen.state.provider, chosen.state.calls]).toEqual([0, "disabled", []]);
  });
});

describe("3. a downgrade is refused, and /healthz fails while the code is older than the database", () => {
  php.test(`provisioning refuses a pin older than the database, naming both versions${php.label}`, async () => {
    const v = vm("downgrade", "archiver");
    v.write("share/config/config.ini.php", PLUGINS_WITH_TM);
    v.write("www/matomo/config/global.ini.php", PLUGINS_WITH_TM);
    v.write("db.state", "installed\n");
    v.write("db.db-version", "5.11.0\n");
    const r = await v.exec("maintenance.sh", ["install-or-update"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refusing to run Matomo 5.10.0: the database was already upgraded to 5.11.0");
    expect(r.stderr).toContain("pin 5.11.0 or later in matomo.version");
    expect(v.calls().filter((c) => c.startsWith("console"))).toEqual([]);
  });

  php.test(`version_lt orders releases as Matomo does${php.label}`, async () => {
    const v = vm("versions", "archiver");
    const pairs = [
      ["5.0.3", "5.1.2"],
      ["5.10.0", "5.1.2"],
      ["5.2.0-b1", "5.2.0"],
      ["5.10.0", "5.10.0"],
    ];
    const r = await v.shell(pairs.map(([a, b]) => `version_lt ${a} ${b} && echo true || echo false`).join("\n"));
    expect(r.stdout.trim().split("\n")).toEqual(["true", "false", "true", "false"]);
  });

  sqlite.test(`healthz.php: 503 when the database is newer than the code, 200 when equal or older (upgrade pending)${sqlite.label}`, async () => {
    const dir = path.join(work, "health-version");
    const dbFile = path.join(dir, "matomo.sqlite");
    const common = content(frontend, PATHS.commonConfigTemplate).replace("enable_ssl = 1", "enable_ssl = 0");
    const env = {
      ...process.env,
      MATOMO_HEALTH_READY_FILE: write(path.join(dir, "ready"), "x"),
      MATOMO_HEALTH_SHARE_MARKER: write(path.join(dir, "marker"), "shared set"),
      MATOMO_HEALTH_SHARED_CONFIG: write(path.join(dir, "config.ini.php"), "; shared"),
      MATOMO_HEALTH_COMMON_CONFIG: write(path.join(dir, "common.config.ini.php"), common),
      MATOMO_HEALTH_VERSION_FILE: write(
        path.join(dir, "Version.php"),
        "<?php\nfinal class Version\n{\n    public const VERSION = '5.10.0';\n    public const MAJOR_VERSION = 5;\n}\n",
      ),
      // Reported a moment ago: no code-version report here (it needs MySQL; see the next test and the rehearsal).
      MATOMO_HEALTH_REPORT_STAMP: write(path.join(dir, "code-reported"), ""),
    };
    // One database per case: Matomo's option table, with or without version_core.
    const versions = ["5.10.0", "5.9.1", "5.11.0", ""];
    const made = await run("php", [
      "-r",
      `foreach (array_slice($argv, 2) as $v) {
      $db = new PDO("sqlite:" . $argv[1] . ".$v"); $db->exec("CREATE TABLE matomo_option (option_name TEXT, option_value TEXT)");
      if ($v !== "") $db->prepare("INSERT INTO matomo_option VALUES ('version_core', ?)")->execute([$v]); }`,
      "--",
      dbFile,
      ...versions,
    ]);
    if (made.code !== 0) throw new Error(show(made));
    const health = async (dbVersion: string) => {
      const r = await run("php", [path.join(work, "healthz.php")], { env: { ...env, MATOMO_HEALTH_DB_DSN: `sqlite:${dbFile}.${dbVersion}` } });
      return [r.stdout, r.stderr.includes("version check failed") ? "version" : r.stderr.trim()];
    };
    write(path.join(work, "healthz.php"), content(frontend, `${PATHS.stagedDir}/healthz.php`));
    expect(await Promise.all(versions.map(health))).toEqual([
      ["ok\n", ""],
      ["ok\n", ""],
      ["unavailable\n", "version"],
      ["unavailable\n", "version"],
    ]);

    // The code-version report: at most once a minute, and a failed one (SQLite has no MySQL upsert) changes nothing.
    const stamp = path.join(dir, "code-reported-now");
    const reporting = { ...env, MATOMO_HEALTH_REPORT_STAMP: stamp, MATOMO_HEALTH_DB_DSN: `sqlite:${dbFile}.5.10.0` };
    const first = await run("php", [path.join(work, "healthz.php")], { env: reporting });
    expect([first.stdout, first.stderr]).toEqual(["ok\n", expect.stringContaining("could not report the code version")]);
    expect(fs.existsSync(stamp)).toBe(true);
    const second = await run("php", [path.join(work, "healthz.php")], { env: reporting });
    expect([second.stdout, second.stderr]).toEqual(["ok\n", ""]);
  });
});

describe("rolling upgrade: the schema migrates only when no live frontend runs older code", () => {
  // An archiver on 5.10.0 over a 5.9.0 schema; `sleep` stands for the poll interval and, where a test says
  // so, is when the old frontend leaves (the scale set replaced it).
  const upgrading = (name: string, olderFrontends: string, leavesWhilePolling = false) => {
    const v = vm(name, "archiver", { MATOMO_UPGRADE_WAIT_SECONDS: "90", MATOMO_FRONTEND_POLL_SECONDS: "30" });
    v.write("www/matomo/config/global.ini.php", PLUGINS_WITH_TM);
    v.write("share/config/config.ini.php", PLUGINS_WITH_TM);
    v.write("db.state", "installed\n");
    v.write("db.db-version", "5.9.0\n");
    v.write("db.older-frontends", olderFrontends);
    const leave = leavesWhilePolling ? `rm -f '${v.at("db.older-frontends")}'; ` : "";
    v.write("stubs/sleep", `#!/bin/bash\n${leave}echo "sleep $*" >>'${v.at("calls.log")}'\n`, 0o755);
    return v;
  };
  const migrations = (v: ReturnType<typeof vm>) => v.calls().filter((c) => c.startsWith("console") && c.includes("core:update"));

  php.test(`waits while a frontend reports older code, then migrates once it is gone${php.label}`, async () => {
    const v = upgrading("wait-then-update", "matomo-weu00000a 5.9.0\n", true);
    const r = await v.exec("maintenance.sh", ["install-or-update"]);
    if (r.code !== 0) throw new Error(show(r));
    expect(r.stderr).toContain("still on older code: matomo-weu00000a 5.9.0");
    // The archiver's own version and the liveness window reach the query.
    expect(v.calls().filter((c) => /^(dbtool older|sleep|console --no-ansi core:update)/.test(c))).toEqual([
      "dbtool older-frontends 5.10.0 180",
      "sleep 30",
      "dbtool older-frontends 5.10.0 180",
      "console --no-ansi core:update --yes",
      "console --no-ansi core:update --yes",
    ]);
  });

  php.test(`gives up after the configured wait without touching the schema, naming the frontends and the way out${php.label}`, async () => {
    const v = upgrading("wait-gives-up", "matomo-weu00000a 5.9.0\nmatomo-neu000003 5.9.0\n");
    const r = await v.exec("maintenance.sh", ["install-or-update"]);
    // 75: the unit's RestartPreventExitStatus, so systemd does not wait all over again.
    expect(r.code).toBe(75);
    expect(r.stderr).toMatch(
      /core:update to 5\.10\.0 postponed: after 1 min these frontends still run older code .*matomo-weu00000a 5\.9\.0 matomo-neu000003 5\.9\.0/,
    );
    expect(r.stderr).toContain("maintenance.sh update --ignore-old-frontends");
    // 90 s at 30 s: three pauses, so four looks, the last after the whole wait.
    expect(v.calls().filter((c) => c.startsWith("dbtool older-frontends"))).toHaveLength(4);
    expect(v.calls().filter((c) => c.startsWith("sleep"))).toHaveLength(3);
    expect(migrations(v)).toEqual([]);
  });

  php.test(`dbtool older-frontends refuses a malformed version or window before connecting${php.label}`, async () => {
    const secrets = fs.mkdtempSync(path.join(work, "secrets-"));
    for (const args of [["x", "180"], ["5.10.0", "3m"], ["5.10.0"]]) {
      const r = await run(realPhp, [path.join(libDir, "dbtool.php"), "older-frontends", secrets, ...args]);
      expect([r.code, r.stderr]).toEqual([1, "[dbtool] ERROR: usage: dbtool.php older-frontends SECRETS_DIR VERSION LIVE_SECONDS\n"]);
    }
  });

  php.test(`no wait when nothing migrates (same version) and none when the operator overrides it${php.label}`, async () => {
    const same = upgrading("wait-same-version", "matomo-weu00000a 5.9.0\n");
    same.write("db.db-version", "5.10.0\n");
    expect((await same.exec("maintenance.sh", ["install-or-update"])).code).toBe(0);
    expect(same.calls().filter((c) => c.startsWith("dbtool older-frontends"))).toEqual([]);
    const forced = upgrading("wait-overridden", "matomo-weu00000a 5.9.0\n");
    const r = await forced.exec("maintenance.sh", ["update", "--ignore-old-frontends"]);
    if (r.code !== 0) throw new Error(show(r));
    expect(r.stderr).toContain("frontends still on older code will answer 503 after the migration");
    expect(forced.calls().filter((c) => c.startsWith("dbtool older-frontends"))).toEqual([]);
    expect(migrations(forced).length).toBeGreaterThan(0);
    expect((await forced.exec("maintenance.sh", ["update", "--force"])).stderr).toContain("usage:");
  });
});

describe("4. Matomo's file-integrity check finds nothing of the blueprint's", () => {
  test("the release marker lives outside the Matomo tree", () => {
    expect(PATHS.releaseMarker.startsWith(`${PATHS.installDir}/`)).toBe(false);
    for (const doc of [frontend, archiver]) expect(content(doc, `${PATHS.libDir}/release.sh`)).not.toContain(".blueprint-release");
  });

  // provision.sh's functions, callable one by one: the same file with its last line ('main "$@"') replaced.
  const provisionStep = (v: ReturnType<typeof vm>, fn: string) => {
    const script = content(archiver, `${PATHS.libDir}/provision.sh`);
    expect(script.trimEnd().endsWith('main "$@"')).toBe(true);
    write(path.join(libDir, "provision-step.sh"), `${script.trimEnd().replace(/main "\$@"$/, '"$@"')}\n`, 0o755);
    return v.exec("provision-step.sh", [fn]);
  };

  rsync.test(`the archiver seeds the share's misc/user from a new release without overwriting; frontends only link${rsync.label}`, async () => {
    for (const role of ["archiver", "frontend"] as const) {
      const v = vm(`tree-${role}`, role);
      for (const f of ["matomo.js", "piwik.js", "js/piwik.min.js", "misc/user/index.html", "misc/user/.gitkeep"]) v.write(`www/matomo/${f}`, "release");
      v.write("share/misc/user/logo.png", "user's logo");
      v.write("share/misc/user/.gitkeep", "user's");
      const r = await provisionStep(v, "configure_matomo_tree");
      if (r.code !== 0) throw new Error(show(r));
      const share = v.at("share/misc/user");
      expect([role, fs.readdirSync(share).sort()]).toEqual([role, role === "archiver" ? [".gitkeep", "index.html", "logo.png"] : [".gitkeep", "logo.png"]]);
      expect(read(path.join(share, ".gitkeep"))).toBe("user's");
      expect(fs.readlinkSync(v.at("www/matomo/misc/user"))).toBe(share);
      expect(fs.readlinkSync(v.at("www/matomo/misc/DBIP-City.mmdb"))).toBe(v.at("share/misc/DBIP-City.mmdb"));
      expect(fs.existsSync(v.at("www/matomo/.blueprint-release"))).toBe(false);
    }
  });

  gpg.test(
    `release.sh installs a verified release with the marker outside, skips it on the next boot, refuses pins older than ${MATOMO_MIN_VERSION}${gpg.label}`,
    async () => {
      const v = vm("release-key", "frontend");
      const home = v.at("gnupg");
      fs.mkdirSync(home, { mode: 0o700 });
      const genv = { ...process.env, GNUPGHOME: home };
      const g = async (args: string[]) => {
        const r = await run("gpg", ["--batch", "--pinentry-mode", "loopback", "--passphrase", "", ...args], { env: genv, cwd: v.root });
        if (r.code !== 0) throw new Error(show(r));
        return r.stdout;
      };
      let fpr = "";
      const withKey = vm("release", "frontend", { MATOMO_RELEASE_KEY_FILE: v.at("key.asc") });
      try {
        await g(["--quick-gen-key", "Release Test <release@example.invalid>", "ed25519", "sign", "1d"]);
        fpr = (await g(["--with-colons", "--list-keys"]))
          .split("\n")
          .find((l) => l.startsWith("fpr:"))!
          .split(":")[9];
        v.write("key.asc", await g(["--armor", "--export"]));
        v.write("pkg/matomo/core/Version.php", "<?php\nfinal class Version\n{\n    public const VERSION = '5.10.0';\n}\n");
        v.write("pkg/matomo/misc/user/index.html", "");
        const tar = await run("tar", ["-czf", withKey.at("served/matomo-5.10.0.tar.gz"), "-C", v.at("pkg"), "matomo"]);
        if (tar.code !== 0) throw new Error(show(tar));
        await g(["--armor", "--detach-sign", "-o", withKey.at("served/matomo-5.10.0.tar.gz.asc"), withKey.at("served/matomo-5.10.0.tar.gz")]);
      } finally {
        await run("gpgconf", ["--kill", "all"], { env: genv });
      }
      const envFile = withKey.at("matomo.env");
      fs.appendFileSync(envFile, `MATOMO_RELEASE_FINGERPRINT='${fpr}'\n`);

      const first = await withKey.exec("release.sh", ["install"]);
      if (first.code !== 0) throw new Error(show(first));
      expect(read(withKey.at("state/release"))).toBe("5.10.0\n");
      expect(fs.readdirSync(withKey.at("www/matomo")).sort()).toEqual(["core", "misc"]);
      expect(withKey.calls()).toEqual(["curl https://builds.invalid/matomo-5.10.0.tar.gz", "curl https://builds.invalid/matomo-5.10.0.tar.gz.asc"]);

      fs.rmSync(withKey.at("calls.log"));
      const again = await withKey.exec("release.sh", ["install"]);
      expect([again.code, again.stderr]).toEqual([0, expect.stringContaining("Matomo 5.10.0 already installed")]);
      expect(withKey.calls()).toEqual([]);

      fs.appendFileSync(envFile, "MATOMO_VERSION='5.0.3'\n");
      const old = await withKey.exec("release.sh", ["install"]);
      expect(old.code).toBe(1);
      expect(old.stderr).toContain(`Matomo 5.0.3 is older than ${MATOMO_MIN_VERSION}, the oldest release the headless install supports`);
      expect(old.stderr).toContain(`pin ${MATOMO_MIN_VERSION} or later in matomo.version`);
      expect(withKey.calls()).toEqual([]); // refused before any download
    },
  );
});

/** Bytes shaped like a MaxMind DB: data, then the metadata marker and a database_type. */
function fakeMmdb(size: number, type = "DBIP-City-Lite", marker = true): Buffer {
  const meta = Buffer.concat([marker ? Buffer.from([0xab, 0xcd, 0xef]) : Buffer.alloc(0), Buffer.from(`MaxMind.com\xe9[database_type\x4e${type}`, "latin1")]);
  return Buffer.concat([Buffer.alloc(Math.max(0, size - meta.length), 7), meta]);
}

describe("5. a geolocation database is kept on the share and reaches every VM", () => {
  const month = new Date().toISOString().slice(0, 7);
  const min = 4096;

  test("the archiver runs the job daily and at provisioning, under one lock; every VM links misc/DBIP-City.mmdb", () => {
    const cron = content(archiver, PATHS.cronFile);
    expect(cron).toContain("47 4 * * * root flock -n /run/lock/matomo-geoip.lock /usr/local/lib/matomo/geoip.sh");
    expect(content(frontend, PATHS.cronFile)).not.toContain("geoip");
    expect(content(archiver, `${PATHS.libDir}/provision.sh`)).toContain('flock -w 600 "$MATOMO_GEOIP_LOCK" "${MATOMO_LIB_DIR}/geoip.sh" --provisioning ||');
    for (const doc of [frontend, archiver]) {
      expect(content(doc, `${PATHS.libDir}/provision.sh`)).toContain('ln -sfn "$MATOMO_GEOIP_DB" "${tree}/misc/$(basename "$MATOMO_GEOIP_DB")"');
      expect(content(doc, PATHS.envFile)).toContain(`MATOMO_GEOIP_DB='${PATHS.sharedGeoipDb}'`);
    }
    expect(content(archiver, `${PATHS.libDir}/share-sync.sh`)).toContain('rsync -a "$MATOMO_GEOIP_DB" "${replica}/misc/$(basename "$MATOMO_GEOIP_DB")"');
    expect(content(archiver, PATHS.envFile)).toContain(`MATOMO_GEOIP_MIN_BYTES='${GEOIP_MIN_BYTES}'`);
    expect(content(archiver, PATHS.envFile)).toContain("MATOMO_GEOIP_BASE_URL='https://download.db-ip.com/free'");
  });

  php.test(
    `verify accepts a city database and refuses small files, files without MaxMind metadata (error pages) and country databases${php.label}`,
    async () => {
      const v = vm("geoip-verify", "archiver", { MATOMO_GEOIP_MIN_BYTES: String(min) });
      const check = async (name: string, bytes: Buffer) => (await v.exec("geoip.sh", ["verify", v.write(name, bytes)])).code;
      expect(
        await Promise.all([
          check("good.mmdb", fakeMmdb(min)),
          check("small.mmdb", fakeMmdb(min - 1)),
          check("no-marker.mmdb", fakeMmdb(min, "DBIP-City-Lite", false)),
          check("country.mmdb", fakeMmdb(min, "DBIP-Country-Lite")),
        ]),
      ).toEqual([0, 1, 1, 1]);
    },
  );

  php.test(`downloads this month's database once, swaps it in atomically and selects the provider${php.label}`, async () => {
    const v = vm("geoip-run", "archiver", { MATOMO_GEOIP_MIN_BYTES: String(min) });
    v.write(`served/dbip-city-lite-${month}.mmdb.gz`, gzipSync(fakeMmdb(min + 10)));
    v.write("share/config/config.ini.php", "; installed");
    const r = await v.exec("geoip.sh", ["--provisioning"]);
    if (r.code !== 0) throw new Error(show(r));
    expect(fs.statSync(v.at("share/misc/DBIP-City.mmdb")).size).toBe(min + 10);
    expect(fs.existsSync(v.at("share/misc/DBIP-City.mmdb.tmp"))).toBe(false);
    expect(read(v.at("share/misc/.dbip-city-month"))).toBe(`${month}\n`);
    expect(v.calls()).toEqual(
      expect.arrayContaining([
        `curl https://geoip.invalid/free/dbip-city-lite-${month}.mmdb.gz`,
        "setup location-provider",
        expect.stringContaining("logger -t matomo-geoip-updated"),
      ]),
    );

    // The daily cron the next day: nothing to download, no write to the share.
    v.write("run/ready", "x");
    fs.rmSync(v.at("calls.log"));
    expect((await v.exec("geoip.sh")).code).toBe(0);
    expect(v.calls().filter((c) => c.startsWith("curl"))).toEqual([]);
  });

  php.test(`a corrupt download keeps the database in place and fails the run${php.label}`, async () => {
    const v = vm("geoip-corrupt", "archiver", { MATOMO_GEOIP_MIN_BYTES: String(min) });
    v.write("share/misc/DBIP-City.mmdb", "previous month");
    v.write("share/misc/.dbip-city-month", "2000-01\n");
    const gz = gzipSync(fakeMmdb(min));
    v.write(`served/dbip-city-lite-${month}.mmdb.gz`, gz.subarray(0, gz.length - 8)); // transfer cut before the CRC
    const r = await v.exec("geoip.sh", ["--provisioning"]);
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining(`dbip-city-lite-${month}.mmdb.gz is corrupt`)]);
    expect(read(v.at("share/misc/DBIP-City.mmdb"))).toBe("previous month");
  });

  php.test(`before the month's file is published, a share without any database takes last month's${php.label}`, async () => {
    const v = vm("geoip-previous", "archiver", { MATOMO_GEOIP_MIN_BYTES: String(min) });
    const d = new Date();
    const previous = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    v.write(`served/dbip-city-lite-${previous}.mmdb.gz`, gzipSync(fakeMmdb(min)));
    const r = await v.exec("geoip.sh", ["--provisioning"]);
    if (r.code !== 0) throw new Error(show(r));
    expect(read(v.at("share/misc/.dbip-city-month"))).toBe(`${previous}\n`);
    // Matomo is not installed yet (no shared config): the provider is chosen on a later run.
    expect(v.calls().some((c) => c.startsWith("setup"))).toBe(false);
  });
});

describe("6. Super User settings that write config.ini.php are not offered on the read-only frontends", () => {
  test("common.config.ini.php turns the general-settings UI off and points to the runbook", () => {
    const tpl = content(frontend, PATHS.commonConfigTemplate);
    expect(tpl.split("\n")).toContain("enable_general_settings_admin = 0");
    expect(tpl).toContain("docs/runbooks/change-matomo-settings.md");
    expect(fs.existsSync(path.join(__dirname, "../../docs/runbooks/change-matomo-settings.md"))).toBe(true);
  });
});

describe("7. opcache for the command line", () => {
  test.each([
    ["frontend", frontend],
    ["archiver", archiver],
  ] as const)("%s: the CLI php.ini enables opcache.enable_cli", (_role, doc) => {
    expect(content(doc, `${PATHS.stagedDir}/php-cli.ini`).split("\n")).toContain("opcache.enable_cli = 1");
  });

  php.test(`PHP's CLI caches scripts with the rendered ini, and not without it${php.label}`, async () => {
    const ini = write(path.join(work, "php-cli.ini"), content(archiver, `${PATHS.stagedDir}/php-cli.ini`));
    const probe = "echo json_encode(function_exists('opcache_get_status') && opcache_get_status(false) !== false);";
    const [withIni, without] = await Promise.all([run("php", ["-c", ini, "-r", probe]), run("php", ["-r", probe])]);
    expect([withIni.stdout, without.stdout]).toEqual(["true", "false"]);
  });
});

describe(`8. pins older than ${MATOMO_MIN_VERSION} are refused at synth time`, () => {
  test.each([
    ["5.1.2", true],
    ["5.1.10", true],
    ["5.10.0", true],
    ["5.1.1", false],
    ["5.0.3", false],
  ] as const)("isMatomoVersionAtLeast(%s) = %p", (v, ok) => {
    expect(isMatomoVersionAtLeast(v)).toBe(ok);
  });

  test("the cloud-init settings name the minimum and the reason", () => {
    let problems: readonly string[] = [];
    try {
      renderArchiverCloudInit({ ...ARCHIVER_SETTINGS, matomoVersion: "5.0.3" });
    } catch (e) {
      problems = (e as MatomoSettingsError).problems;
    }
    expect(problems).toEqual([expect.stringMatching(/^matomoVersion: must be 5\.1\.2 or later: .*getDefaultCollationForCharset\(\).* \(got "5\.0\.3"\)$/)]);
    expect(() => renderArchiverCloudInit({ ...ARCHIVER_SETTINGS, matomoVersion: "5.1.2" })).not.toThrow();
  });
});

describe("custom data carries the scripts without their comments", () => {
  test.each<[string, string, string]>([
    ["provision.sh", "# shellcheck source=lib.sh", "# Secrets live on tmpfs only while provisioning runs, whatever the outcome."],
    ["setup.php", "declare(strict_types=1);", " * Every step is guarded, so a re-run resumes an interrupted install."],
    ["healthz.php", "const DB_CONNECT_TIMEOUT = 2;", "/** Seconds allowed for the MySQL connection. */"],
  ])("%s: code and shellcheck directives kept in order, comments dropped, pointer to the source", (name, kept, dropped) => {
    const source = readAsset(name).split("\n");
    const out = scriptForVm(name, source.join("\n")).split("\n");
    expect([out[0], out[1]]).toEqual([source[0], expect.stringContaining(`modules/cloud-init/files/${name}`)]);
    expect(out).toContain(kept);
    expect(source).toContain(dropped);
    expect(out).not.toContain(dropped);
    // What remains is the source minus whole comment lines, in the same order.
    let i = 0;
    for (const line of out.slice(2)) {
      while (i < source.length && source[i] !== line) i++;
      expect(i).toBeLessThan(source.length);
      i++;
    }
  });
});
