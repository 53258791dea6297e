import {
  ARCHIVER_DB_CONNECTIONS,
  AZURE_CUSTOM_DATA_MAX_BYTES,
  CLOUDFLARE_IP_RANGES_PINNED,
  CRON_JOBS,
  DEFAULT_SECRET_NAMES,
  LOCK_FILES,
  MATOMO_RELEASE_SIGNING_KEY_FINGERPRINT,
  MatomoHostSettings,
  MatomoSettingsError,
  PATHS,
  SYSLOG_TAGS,
  dbConnectionsPerFrontend,
  fpmMaxChildrenFor,
  nfsMountOptions,
  renderArchiverCloudInit,
  renderFrontendCloudInit,
} from "../../modules/cloud-init";
import { fillTemplate } from "../../modules/cloud-init/assets";
import { ARCHIVER_SETTINGS, CloudConfig, FAKE_SECRET_VALUES, FRONTEND_SETTINGS, fileAt, parseCloudConfig } from "./fixture";

const frontendYaml = renderFrontendCloudInit(FRONTEND_SETTINGS);
const archiverYaml = renderArchiverCloudInit(ARCHIVER_SETTINGS);
const frontend = parseCloudConfig(frontendYaml);
const archiver = parseCloudConfig(archiverYaml);
const roles: [string, string, CloudConfig][] = [
  ["frontend", frontendYaml, frontend],
  ["archiver", archiverYaml, archiver],
];

const lib = (c: CloudConfig, name: string) => fileAt(c, `${PATHS.libDir}/${name}`).content;
const cronLines = (c: CloudConfig) =>
  fileAt(c, PATHS.cronFile)
    .content.split("\n")
    .filter((l) => /^[*0-9]/.test(l));
const env = (c: CloudConfig) =>
  Object.fromEntries(
    fileAt(c, PATHS.envFile)
      .content.split("\n")
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => {
        const [k, v] = [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)];
        return [k, v.replace(/^'|'$/g, "")];
      }),
  );
/** Text of a shell function body, `name() {` to the first line that is exactly `}`. */
function shellFunction(script: string, name: string): string {
  const start = script.indexOf(`\n${name}() {`);
  expect(start).toBeGreaterThanOrEqual(0);
  return script.slice(start, script.indexOf("\n}\n", start) + 3);
}

describe("rendered documents", () => {
  test.each(roles)("%s: starts with #cloud-config and parses", (_role, yaml, doc) => {
    expect(yaml.split("\n")[0]).toBe("#cloud-config");
    expect(doc.write_files.length).toBeGreaterThan(10);
    expect(doc.runcmd).toEqual([
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "matomo-provision.service"],
      ["systemctl", "start", "matomo-provision.service"],
    ]);
  });

  test("deterministic: same settings, same bytes", () => {
    expect(renderFrontendCloudInit(structuredClone(FRONTEND_SETTINGS))).toBe(frontendYaml);
    expect(renderArchiverCloudInit(structuredClone(ARCHIVER_SETTINGS))).toBe(archiverYaml);
  });

  test.each(roles)("%s: fits Azure custom data with room for the embedded release key", (_role, yaml) => {
    expect(Buffer.byteLength(yaml)).toBeLessThan(AZURE_CUSTOM_DATA_MAX_BYTES - 4096);
  });

  test.each(roles)("%s: every template placeholder is filled", (_role, yaml) => {
    expect(yaml).not.toMatch(/\{\{[A-Z0-9_]+\}\}/);
  });

  test.each(roles)("%s: files are owned by root, executables are the scripts", (_role, _yaml, doc) => {
    for (const f of doc.write_files) {
      expect(f.owner).toBe("root:root");
      expect(f.permissions).toBe(f.path.endsWith(".sh") && !f.path.endsWith("lib.sh") ? "0755" : "0644");
    }
  });
});

describe("no secrets in custom data", () => {
  test.each(roles)("%s: no key material, password or token values", (_role, yaml) => {
    expect(yaml).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    expect(yaml).not.toMatch(/PGP PRIVATE KEY/);
    for (const value of Object.values(FAKE_SECRET_VALUES)) expect(yaml).not.toContain(value);
    // The only Authorization header is built at run time from the IMDS token.
    for (const m of yaml.matchAll(/Authorization: Bearer (\S+)/g)) expect(m[1]).toBe("%s\\n'");
  });

  test.each(roles)("%s: the Matomo config carries placeholders, filled from Key Vault at boot", (_role, _yaml, doc) => {
    const tpl = fileAt(doc, PATHS.commonConfigTemplate).content;
    expect(tpl).toContain('password = "@@MATOMO_DB_PASSWORD@@"');
    expect(tpl).toContain('salt = "@@MATOMO_SALT@@"');
    expect(tpl.match(/^(password|salt) = .*$/gm)).toEqual(['password = "@@MATOMO_DB_PASSWORD@@"', 'salt = "@@MATOMO_SALT@@"']);
  });

  test("the env files name secrets but hold no values; each role knows only its own", () => {
    const fe = env(frontend);
    const ar = env(archiver);
    expect(fe.MATOMO_SECRET_ORIGIN_KEY).toBe(DEFAULT_SECRET_NAMES.originPrivateKey);
    expect(fe.MATOMO_SECRET_DB_ADMIN_PASSWORD).toBeUndefined();
    expect(fe.MATOMO_SECRET_SUPERUSER_PASSWORD).toBeUndefined();
    expect(ar.MATOMO_SECRET_DB_ADMIN_PASSWORD).toBe(DEFAULT_SECRET_NAMES.dbAdminPassword);
    expect(ar.MATOMO_SECRET_ORIGIN_KEY).toBeUndefined();
    for (const [k, v] of Object.entries({ ...fe, ...ar })) {
      if (/PASSWORD|SALT|KEY$|CERT$/.test(k) && k.startsWith("MATOMO_SECRET_")) expect(Object.values(DEFAULT_SECRET_NAMES)).toContain(v);
    }
  });

  test("secrets are fetched with the managed identity, retried, and never echoed", () => {
    const libSh = lib(frontend, "lib.sh");
    expect(libSh).toContain("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net");
    expect(libSh).not.toMatch(/oauth2\/token\?[^'\s]*(client_id|msi_res_id|object_id)/);
    expect(libSh).toContain("-H @-"); // token on stdin, not argv
    expect(libSh).toContain("https://${MATOMO_KEY_VAULT_NAME}.vault.azure.net/secrets/${name}");
    expect(libSh).not.toMatch(/set -x|echo "\$token|echo "\$\(cat/);
    const provision = lib(frontend, "provision.sh");
    expect(provision.match(/retry 12 kv_fetch_secret/g)?.length).toBe(6); // 2 common + 2 per role
    expect(lib(archiver, "provision.sh")).toContain("trap 'rm -rf \"$SECRETS_DIR\"' EXIT");
    expect(env(frontend).MATOMO_KEY_VAULT_NAME).toBe("ctso-matomo-prod-kv");
  });
});

describe("cron jobs", () => {
  test("each job is on its role only, with its schedule, user and lock", () => {
    for (const job of CRON_JOBS) {
      const line = `${job.schedule} ${job.user} flock -n ${job.lockFile} ${job.command}`;
      const [own, other] = job.role === "frontend" ? [frontend, archiver] : [archiver, frontend];
      expect(cronLines(own)).toContain(line);
      expect(cronLines(other).some((l) => l.includes(job.lockFile) || l.endsWith(job.command))).toBe(false);
    }
    expect(cronLines(frontend)).toHaveLength(CRON_JOBS.filter((j) => j.role === "frontend").length);
    expect(cronLines(archiver)).toHaveLength(CRON_JOBS.filter((j) => j.role === "archiver").length);
  });

  test("every line runs under flock -n, every job has its own lock", () => {
    for (const line of [...cronLines(frontend), ...cronLines(archiver)]) {
      expect(line).toMatch(/^\S+ \S+ \S+ \S+ \S+ (www-data|root) flock -n \/run\/lock\/matomo-[a-z-]+\.lock \/usr\/local\/lib\/matomo\/\S+/);
    }
    expect(new Set(CRON_JOBS.map((j) => j.lockFile)).size).toBe(CRON_JOBS.length);
  });

  test("frontends run the tracker and Tag Manager regeneration every minute", () => {
    expect(cronLines(frontend)).toEqual(
      expect.arrayContaining([
        `* * * * * www-data flock -n ${LOCK_FILES.customJs} ${PATHS.libDir}/job.sh custom-js`,
        `* * * * * www-data flock -n ${LOCK_FILES.tagManager} ${PATHS.libDir}/job.sh tagmanager`,
      ]),
    );
    const job = lib(frontend, "job.sh");
    expect(job).toContain("console custom-matomo-js:update");
    expect(job).toContain("console tagmanager:regenerate-released-containers");
  });

  test("the archiver archives hourly through a wrapper script (matomo#25173) and runs scheduled tasks", () => {
    expect(cronLines(archiver)).toEqual(
      expect.arrayContaining([
        `5 * * * * www-data flock -n ${LOCK_FILES.archive} ${PATHS.libDir}/job.sh archive`,
        `35 * * * * www-data flock -n ${LOCK_FILES.scheduledTasks} ${PATHS.libDir}/job.sh scheduled-tasks`,
        `*/5 * * * * root flock -n ${LOCK_FILES.shareSync} ${PATHS.libDir}/share-sync.sh`,
      ]),
    );
    expect(fileAt(archiver, PATHS.cronFile).content).not.toContain("core:archive");
    const job = lib(archiver, "job.sh");
    expect(job).toContain('console core:archive --url="https://${MATOMO_PUBLIC_HOSTNAME}/" --disable-scheduled-tasks');
    expect(job).toContain("console scheduled-tasks:run");
    expect(env(archiver).MATOMO_PUBLIC_HOSTNAME).toBe("analytics.example.com");
  });

  test("a heartbeat (syslog + timestamp file) follows only a successful archive run", () => {
    const job = lib(archiver, "job.sh");
    expect(job).toMatch(/^set -Eeuo pipefail$/m);
    const archive = job.indexOf("console core:archive");
    expect(job.indexOf('>"${MATOMO_ARCHIVE_HEARTBEAT_FILE}.tmp"')).toBeGreaterThan(archive);
    expect(job.indexOf('logger -t "$MATOMO_ARCHIVE_HEARTBEAT_TAG"')).toBeGreaterThan(archive);
    expect(env(archiver).MATOMO_ARCHIVE_HEARTBEAT_TAG).toBe(SYSLOG_TAGS.archiveHeartbeat);
    expect(env(archiver).MATOMO_ARCHIVE_HEARTBEAT_FILE).toBe(PATHS.archiveHeartbeatFile);
  });

  test("archive and scheduled tasks yield to installs and upgrades (shared vs exclusive lock)", () => {
    const job = lib(archiver, "job.sh");
    expect(job).toContain("flock -s -n 8");
    expect(lib(archiver, "maintenance.sh")).toContain("flock -x -w 7200 9");
    expect(env(archiver).MATOMO_MAINTENANCE_LOCK).toBe(LOCK_FILES.maintenance);
    // Provisioning runs the replica copy and the Cloudflare refresh under the cron jobs' locks.
    expect(env(archiver).MATOMO_SHARE_SYNC_LOCK).toBe(LOCK_FILES.shareSync);
    expect(env(frontend).MATOMO_CLOUDFLARE_IPS_LOCK).toBe(LOCK_FILES.cloudflareIps);
  });
});

describe("pinned, signature-verified Matomo release", () => {
  const release = lib(frontend, "release.sh");

  test("the version and the key fingerprint are pinned", () => {
    expect(env(frontend).MATOMO_VERSION).toBe("5.10.0");
    expect(env(archiver).MATOMO_VERSION).toBe("5.10.0");
    expect(env(frontend).MATOMO_RELEASE_FINGERPRINT).toBe(MATOMO_RELEASE_SIGNING_KEY_FINGERPRINT);
    expect(env(frontend).MATOMO_RELEASE_BASE_URL).toBe("https://builds.matomo.org");
  });

  test("download of .tar.gz and .asc, then the gpg check, then extraction", () => {
    const install = shellFunction(release, "install_release");
    const order = [
      'download "matomo-${version}.tar.gz"',
      'download "matomo-${version}.tar.gz.asc"',
      'verify_release "$tarball" "${tarball}.asc" || die',
      'tar -xzf "$tarball"',
    ].map((s) => install.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(release.indexOf("tar -xzf")).toBe(release.lastIndexOf("tar -xzf"));
  });

  test("the check requires a good signature by the pinned primary key", () => {
    const verify = shellFunction(release, "verify_release");
    expect(verify).toContain("--status-fd 1 --verify");
    expect(verify).toContain("GOODSIG");
    expect(verify).toMatch(/VALIDSIG.*\$NF[\s\S]*grep -qx "\$\{MATOMO_RELEASE_FINGERPRINT\}"/);
    expect(verify).toContain("awk -F: '$1 == \"fpr\" { print $10 }'");
  });

  test("downloads are HTTPS-only and fail on HTTP errors", () => {
    for (const m of release.matchAll(/curl [^\n]*(\\\n[^\n]*)*/g)) {
      expect(m[0]).toContain("--fail");
      expect(m[0]).toContain("--proto '=https'");
    }
  });

  test("the installed tree is replaced only after the archive is verified and checked", () => {
    const install = shellFunction(release, "install_release");
    expect(install.indexOf("core/Version.php")).toBeGreaterThan(install.indexOf("tar -xzf"));
    expect(install.indexOf('mv "${staging}/matomo" "${MATOMO_INSTALL_DIR}"')).toBeGreaterThan(install.indexOf("core/Version.php"));
  });
});

describe("idempotency guards", () => {
  test("release install is skipped when the pinned version is already in place", () => {
    const install = shellFunction(lib(frontend, "release.sh"), "install_release");
    expect(install).toMatch(/MATOMO_RELEASE_MARKER[\s\S]*installed_version[\s\S]*already installed[\s\S]*return 0/);
  });

  test("fstab lines are added once and mounts are skipped when mounted", () => {
    expect(lib(frontend, "provision.sh")).toContain('grep -qxF -- "$line" /etc/fstab && continue');
    expect(lib(frontend, "lib.sh")).toContain('if mountpoint -q "$mountpoint"; then');
  });

  test("provisioning runs every boot and the ready marker is on tmpfs, cleared first", () => {
    const provision = lib(frontend, "provision.sh");
    expect(PATHS.readyFile.startsWith("/run/")).toBe(true);
    expect(provision.indexOf('rm -f "$MATOMO_READY_FILE"')).toBeLessThan(provision.indexOf("check_prerequisites\n  fetch_secrets"));
    expect(provision.lastIndexOf('>"$MATOMO_READY_FILE"')).toBeGreaterThan(provision.indexOf("configure_nginx\n"));
    expect(fileAt(frontend, PATHS.provisionUnit).content).toMatch(/Type=oneshot[\s\S]*WantedBy=multi-user.target/);
  });

  test("install and update resume instead of repeating work", () => {
    const setup = lib(archiver, "setup.php");
    expect(setup).toContain("count($users->getUsersHavingSuperUserAccess()) === 0");
    expect(setup).toContain("count($sites->getAllSitesId()) === 0");
    expect(setup).toContain("if (!anonymousUserExists())");
    const dbtool = lib(archiver, "dbtool.php");
    expect(dbtool).toContain("CREATE USER IF NOT EXISTS");
    expect(dbtool).toMatch(/if \(hasPrivileges\(connect\(\$user, \$password, \$database\), \$database\)\)/);
    const maintenance = lib(archiver, "maintenance.sh");
    expect(maintenance).toContain("installed:present) run_update ;;");
    expect(maintenance).toContain("empty:absent | partial:absent) run_install ;;");
    expect(maintenance).toMatch(/installed:absent\)\s+die/);
  });
});

describe("role separation", () => {
  const paths = (c: CloudConfig) => c.write_files.map((f) => f.path);

  test("installs, upgrades, DB user and replica sync exist on the archiver only", () => {
    for (const name of ["maintenance.sh", "setup.php", "dbtool.php", "share-sync.sh"]) {
      expect(paths(archiver)).toContain(`${PATHS.libDir}/${name}`);
      expect(paths(frontend)).not.toContain(`${PATHS.libDir}/${name}`);
    }
    expect(lib(archiver, "maintenance.sh")).toContain('[ "$MATOMO_ROLE" = archiver ] || die');
    expect(paths(archiver)).toContain(PATHS.installFile);
  });

  test("nginx, PHP-FPM and the health endpoint exist on frontends only", () => {
    expect(frontend.packages).toEqual(expect.arrayContaining(["nginx", "php8.3-fpm"]));
    expect(archiver.packages).not.toEqual(expect.arrayContaining(["nginx"]));
    expect(archiver.packages.some((p) => p.includes("fpm"))).toBe(false);
    for (const p of [PATHS.nginxSite, PATHS.nginxHttpConf, `${PATHS.stagedDir}/healthz.php`, PATHS.originPullCa]) {
      expect(paths(frontend)).toContain(p);
      expect(paths(archiver)).not.toContain(p);
    }
  });

  test("rolling upgrades: frontends report their code version, the archiver waits for it before core:update", () => {
    expect(env(frontend)).toMatchObject({ MATOMO_HEALTH_STATE_DIR: PATHS.healthStateDir });
    const health = fileAt(frontend, `${PATHS.stagedDir}/healthz.php`).content;
    expect(health).toContain(`'${PATHS.healthStateDir}/code-reported'`);
    expect(health).toContain("`' . $prefix . 'blueprint_frontends`");
    expect(env(archiver)).toMatchObject({
      MATOMO_UPGRADE_WAIT_SECONDS: "7200",
      MATOMO_FRONTEND_POLL_SECONDS: "30",
      MATOMO_FRONTEND_LIVE_SECONDS: "180",
      MATOMO_FRONTEND_REPORT_TABLE: "blueprint_frontends",
    });
    expect(env(parseCloudConfig(renderArchiverCloudInit({ ...ARCHIVER_SETTINGS, upgradeWaitMinutes: 30 })))).toMatchObject({
      MATOMO_UPGRADE_WAIT_SECONDS: "1800",
    });
    // The wait comes before the exclusive lock: a manual `update` leaves running jobs alone while it waits.
    const cli = lib(archiver, "maintenance.sh").slice(lib(archiver, "maintenance.sh").indexOf('case "${1:-}:${2:-}" in'));
    expect(cli.indexOf("wait_for_frontends")).toBeLessThan(cli.indexOf("take_maintenance_lock"));
    expect(env(frontend)).not.toHaveProperty("MATOMO_UPGRADE_WAIT_SECONDS");
    // systemd would kill a wait longer than the unit's start timeout, and restart a postponed upgrade in a loop.
    const unit = (c: CloudConfig) => fileAt(c, PATHS.provisionUnit).content;
    expect(unit(archiver)).toContain("TimeoutStartSec=165min");
    expect(unit(parseCloudConfig(renderArchiverCloudInit({ ...ARCHIVER_SETTINGS, upgradeWaitMinutes: 720 })))).toContain("TimeoutStartSec=765min");
    expect(unit(frontend)).toContain("TimeoutStartSec=45min");
    expect(unit(archiver)).toMatch(/^RestartPreventExitStatus=75$/m);
  });

  test("the PHP extensions Matomo needs are installed on both roles", () => {
    for (const doc of [frontend, archiver]) {
      expect(doc.packages).toEqual(
        expect.arrayContaining(["cli", "mysql", "gd", "xml", "mbstring", "curl", "zip", "intl", "bcmath", "opcache"].map((e) => `php8.3-${e}`)),
      );
    }
  });
});

describe("shares", () => {
  test("NFS 4.1 mounts with nconnect, _netdev and nofail; read-only on frontends", () => {
    expect(nfsMountOptions("frontend")).toBe("vers=4,minorversion=1,sec=sys,nconnect=4,_netdev,nofail,ro");
    expect(fileAt(frontend, PATHS.fstabFile).content).toBe(
      `ctsomatomoweu.file.core.windows.net:/ctsomatomoweu/matomo ${PATHS.shareMount} nfs ${nfsMountOptions("frontend")} 0 0\n`,
    );
  });

  test("the archiver mounts this region's share read-write and the replica for its copies", () => {
    const lines = fileAt(archiver, PATHS.fstabFile).content.trim().split("\n");
    expect(lines).toEqual([
      `ctsomatomoweu.file.core.windows.net:/ctsomatomoweu/matomo ${PATHS.shareMount} nfs ${nfsMountOptions("archiver")} 0 0`,
      `ctsomatomoneu.file.core.windows.net:/ctsomatomoneu/matomo ${PATHS.replicaMountRoot}/ctsomatomoneu-matomo nfs ${nfsMountOptions("archiver")} 0 0`,
    ]);
    expect(env(archiver).MATOMO_REPLICA_MOUNTS).toBe(`${PATHS.replicaMountRoot}/ctsomatomoneu-matomo`);
    expect(env(frontend).MATOMO_REPLICA_MOUNTS).toBe("");
  });

  test("frontends ignore replicaShares: a region depends on its own share only", () => {
    const withReplicas = parseCloudConfig(renderFrontendCloudInit(ARCHIVER_SETTINGS));
    expect(fileAt(withReplicas, PATHS.fstabFile).content.trim().split("\n")).toHaveLength(1);
  });

  test("the shared set is config.ini.php and misc/user; code and tmp/ stay local", () => {
    const provision = lib(frontend, "provision.sh");
    expect(provision).toContain('ln -sfn "${MATOMO_SHARE_MOUNT}/config/config.ini.php" "${tree}/config/config.ini.php"');
    expect(provision).toContain('ln -sfn "${MATOMO_SHARE_MOUNT}/misc/user" "${tree}/misc/user"');
    expect(provision).toContain('install -d -o www-data -g www-data -m 0750 "${tree}/tmp"');
    const sync = lib(archiver, "share-sync.sh");
    expect(sync).toContain('rsync -a --delete "${src}/misc/user/" "${replica}/misc/user/"');
    expect(sync).toContain('rsync -a "${src}/config/config.ini.php" "${replica}/config/config.ini.php"');
  });

  test("an unreachable replica never fails the archiver's provisioning", () => {
    expect(lib(archiver, "provision.sh")).toContain('retry 3 mount_from_fstab "$mountpoint" || log warning');
    expect(lib(archiver, "provision.sh")).toMatch(
      /flock -w 600 "\$MATOMO_SHARE_SYNC_LOCK" "\$\{MATOMO_LIB_DIR\}\/share-sync.sh" --provisioning \|\|\s+log warning/,
    );
  });
});

describe("Matomo configuration", () => {
  const tpl = fileAt(frontend, PATHS.commonConfigTemplate).content;

  test.each([
    "multi_server_environment = 1",
    "enable_browser_archiving_triggering = 0",
    "browser_archiving_disabled_enforce = 1",
    "proxy_client_headers[] = HTTP_CF_CONNECTING_IP",
    "force_ssl = 1",
    "assume_secure_protocol = 1",
    "enable_installer = 0",
    "enable_auto_update = 0",
    "enable_ssl = 1",
    `ssl_ca = "${PATHS.dbCaFile}"`,
    'host = "ctso-matomo-prod-mysql.mysql.database.azure.com"',
    'charset = "utf8mb4"',
    'trusted_hosts[] = "analytics.example.com"',
    'trusted_hosts[] = "stats.example.com"',
  ])("common.config.ini.php sets %s", (line) => {
    expect(tpl.split("\n")).toContain(line);
  });

  test("the same template on both roles (one salt, one DB, one trust list)", () => {
    expect(fileAt(archiver, PATHS.commonConfigTemplate).content).toBe(tpl);
  });

  test("the DB CA bundle is built from Azure's roots only", () => {
    expect(env(frontend).MATOMO_DB_CA_ROOTS.split(" ")).toEqual([
      "/usr/share/ca-certificates/mozilla/DigiCert_Global_Root_G2.crt",
      "/usr/share/ca-certificates/mozilla/Microsoft_RSA_Root_Certificate_Authority_2017.crt",
    ]);
  });

  test("first-install answers for the archiver; no password among them", () => {
    expect(JSON.parse(fileAt(archiver, PATHS.installFile).content)).toEqual({
      publicHostname: "analytics.example.com",
      siteName: "Example",
      siteUrl: "https://www.example.com",
      superUserEmail: "ops@example.com",
      superUserLogin: "superuser",
      timezone: "Europe/Berlin",
    });
  });

  test("PHP: FPM pool sized from settings, archiver CLI memory, time zone", () => {
    const pool = fileAt(frontend, `${PATHS.stagedDir}/fpm-pool-matomo.conf`).content;
    expect(pool).toContain("pm.max_children = 26");
    expect(pool).toContain(`listen = ${PATHS.phpSocket}`);
    expect(pool).toContain("php_admin_value[memory_limit] = 512M");
    expect(fileAt(archiver, `${PATHS.stagedDir}/php-cli.ini`).content).toContain("memory_limit = 3072M");
    expect(fileAt(frontend, `${PATHS.stagedDir}/php-fpm.ini`).content).toContain('date.timezone = "Europe/Berlin"');
    expect(fileAt(frontend, `${PATHS.stagedDir}/php-fpm.ini`).content).toContain("opcache.enable = 1");
    expect(frontend.timezone).toBe("Europe/Berlin");
  });
});

describe("nginx", () => {
  const site = fileAt(frontend, PATHS.nginxSite).content;
  const http = fileAt(frontend, PATHS.nginxHttpConf).content;
  const tls = fileAt(frontend, PATHS.nginxTls).content;
  const healthLocation = fileAt(frontend, PATHS.nginxHealth).content;
  const matomoServer = site.slice(site.indexOf("server_name analytics.example.com"));

  test("only index.php, matomo.php, piwik.php and js/index.php execute", () => {
    expect(matomoServer).toContain("location ~ ^/(index|matomo|piwik|js/index)\\.php$ {");
    expect(site.match(/fastcgi_pass/g)).toHaveLength(1);
    expect(matomoServer.indexOf("location ~* ^.+\\.php$")).toBeGreaterThan(matomoServer.indexOf("js/index)\\.php$"));
  });

  test("denies config, tmp, core, lang and dotfiles; static files precede the libs/vendor/plugins/misc deny", () => {
    expect(matomoServer).toContain("location ~ ^/(config|tmp|core|lang)(/|$) {");
    expect(matomoServer).toContain("location ~ /\\. {");
    const staticAt = matomoServer.indexOf("location ~ \\.(gif|ico|jpg|png|svg|js|css");
    expect(staticAt).toBeGreaterThan(matomoServer.indexOf("^/(config|tmp|core|lang)"));
    expect(matomoServer.indexOf("location ~ ^/(libs|vendor|plugins|misc|node_modules)")).toBeGreaterThan(staticAt);
  });

  test("Matomo answers only its host names; the catch-all serves the health path to the platform probes and 421", () => {
    expect(site).toContain("server_name analytics.example.com stats.example.com;");
    const catchAll = site.slice(0, site.indexOf("server_name analytics.example.com"));
    expect(catchAll).toContain("listen 443 ssl http2 default_server;");
    expect(catchAll).toContain(`include ${PATHS.nginxHealth};`);
    expect(catchAll.indexOf("if ($matomo_platform_probe = 0) {\n        return 421;")).toBeLessThan(catchAll.indexOf(`include ${PATHS.nginxHealth};`));
    expect(catchAll).toMatch(/location \/ \{\s+return 421;/);
    expect(catchAll).not.toContain("fastcgi_pass");
  });

  test("TLS with the origin certificate, AOP client check, server_tokens off, real IP from Cloudflare", () => {
    expect(tls).toContain(`ssl_certificate ${PATHS.nginxTlsDir}/origin.crt;`);
    expect(tls).toContain(`ssl_client_certificate ${PATHS.originPullCa};`);
    expect(tls).toContain("ssl_verify_client optional;");
    expect(tls).toContain("ssl_protocols TLSv1.2 TLSv1.3;");
    expect(site.match(new RegExp(`include ${PATHS.nginxTls};`, "g"))).toHaveLength(2);
    expect(matomoServer).toMatch(/if \(\$matomo_client_denied\) \{\s+return 403;/);
    expect(http).toContain("server_tokens off;");
    expect(http).toContain("real_ip_header CF-Connecting-IP;");
    const realIp = fileAt(frontend, PATHS.nginxRealIp).content;
    for (const cidr of [...CLOUDFLARE_IP_RANGES_PINNED.ipv4, ...CLOUDFLARE_IP_RANGES_PINNED.ipv6]) {
      expect(realIp).toContain(`set_real_ip_from ${cidr};`);
    }
    expect(fileAt(frontend, PATHS.originPullCa).content).toContain("-----BEGIN CERTIFICATE-----");
  });

  test("the origin certificate is re-read hourly so a rotation reaches running VMs", () => {
    const refresh = lib(frontend, "refresh-tls.sh");
    expect(refresh).toContain('kv_fetch_secret "$MATOMO_SECRET_ORIGIN_CERT"');
    expect(refresh.indexOf("nginx -t")).toBeLessThan(refresh.indexOf("systemctl reload nginx"));
  });

  test("the Matomo host has no exception to the client certificate; the health path is served from its own pool", () => {
    expect(http).toMatch(/map \$ssl_client_verify \$matomo_client_denied \{\s+default 1;\s+SUCCESS 0;\s+\}/);
    expect(http).not.toMatch(/map \$uri|"\/healthz"/);
    expect(http).toMatch(/geo \$realip_remote_addr \$matomo_platform_probe \{\s+default 0;\s+168\.63\.129\.16 1;\s+127\.0\.0\.1 1;\s+::1 1;\s+\}/);
    expect(healthLocation).toContain("location = /healthz {");
    expect(healthLocation).toContain(`fastcgi_param SCRIPT_FILENAME ${PATHS.healthScript};`);
    expect(healthLocation).toContain(`fastcgi_pass unix:${PATHS.healthSocket};`);
    expect(fileAt(frontend, `${PATHS.stagedDir}/fpm-pool-health.conf`).content).toContain(`listen = ${PATHS.healthSocket}`);
  });

  test("a custom health path and CA propagate", () => {
    const custom = parseCloudConfig(
      renderFrontendCloudInit({
        ...FRONTEND_SETTINGS,
        healthPath: "/probe",
        originPullCaPem: "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n",
      }),
    );
    expect(fileAt(custom, PATHS.nginxHealth).content).toContain("location = /probe {");
    expect(fileAt(custom, PATHS.originPullCa).content).toBe("-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n");
  });

  test("the health check covers provisioning, share, shared config and the DB with a 2 s timeout", () => {
    const health = fileAt(frontend, `${PATHS.stagedDir}/healthz.php`).content;
    expect(health).toContain(`'${PATHS.readyFile}'`);
    expect(health).toContain(`'${PATHS.shareMarker}'`);
    expect(health).toContain(`'${PATHS.localConfig}'`);
    expect(health).toContain("const DB_CONNECT_TIMEOUT = 2;");
    expect(health).toContain("PDO::ATTR_TIMEOUT => DB_CONNECT_TIMEOUT");
    expect(health).toContain('echo "unavailable\\n";');
  });
});

describe("sizing", () => {
  test.each([
    [2, 5],
    [4, 26],
    [8, 69],
    [16, 154],
    [1, 2],
  ])("fpmMaxChildrenFor(%i GiB) = %i", (gib, children) => {
    expect(fpmMaxChildrenFor(gib)).toBe(children);
  });

  test("a custom per-worker size and the DB connection budget", () => {
    expect(fpmMaxChildrenFor(8, 128)).toBe(52);
    expect(dbConnectionsPerFrontend(26)).toBe(30);
    expect(ARCHIVER_DB_CONNECTIONS).toBeGreaterThanOrEqual(4);
  });

  test.each([1, 2, 3, 26, 154, 1024])("PHP-FPM spare-server settings stay valid for pm.max_children = %i", (max) => {
    const pool = fileAt(
      parseCloudConfig(renderFrontendCloudInit({ ...FRONTEND_SETTINGS, php: { fpmMaxChildren: max } })),
      `${PATHS.stagedDir}/fpm-pool-matomo.conf`,
    ).content;
    const value = (k: string) => Number(new RegExp(`^pm\\.${k} = (\\d+)$`, "m").exec(pool)?.[1]);
    const [start, min, spare] = [value("start_servers"), value("min_spare_servers"), value("max_spare_servers")];
    expect(value("max_children")).toBe(max);
    expect(min).toBeGreaterThanOrEqual(1);
    expect(min).toBeLessThanOrEqual(start);
    expect(start).toBeLessThanOrEqual(spare);
    expect(spare).toBeLessThanOrEqual(max);
  });

  test.each([[0], [-1], [Number.NaN], [Number.POSITIVE_INFINITY]])("rejects memoryGiB %p", (gib) => {
    expect(() => fpmMaxChildrenFor(gib)).toThrow(RangeError);
  });

  test("rejects a per-worker size below 32 MiB", () => {
    expect(() => fpmMaxChildrenFor(4, 16)).toThrow(/perChildMiB/);
  });
});

describe("templates", () => {
  test("a missing or unused placeholder value is an error, not a silent gap", () => {
    expect(() => fillTemplate("t", "a {{X}} b", {})).toThrow(/no value for \{\{X\}\}/);
    expect(() => fillTemplate("t", "a {{X}} b", { X: 1, Y: 2 })).toThrow(/unused values Y/);
    expect(fillTemplate("t", "{{X}}-{{X}}", { X: "v" })).toBe("v-v");
  });
});

describe("settings validation", () => {
  const problems = (fn: () => unknown): string[] => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(MatomoSettingsError);
      return [...(e as MatomoSettingsError).problems];
    }
    throw new Error("expected MatomoSettingsError");
  };

  test("reports every problem at once, naming the field and the value", () => {
    const bad = {
      ...FRONTEND_SETTINGS,
      matomoVersion: "v5.10",
      publicHostname: "Analytics.Example.com",
      share: { host: "other.file.core.windows.net", exportPath: "/ctsomatomoweu/matomo" },
      php: { fpmMaxChildren: 0 },
      timezone: "Mars/Olympus",
    } as MatomoHostSettings;
    const list = problems(() => renderFrontendCloudInit(bad));
    expect(list).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^matomoVersion: .*\(got "v5\.10"\)$/),
        expect.stringMatching(/^publicHostname: /),
        expect.stringMatching(/^share\.exportPath: must start with the storage account of host/),
        expect.stringMatching(/^php\.fpmMaxChildren: /),
        expect.stringMatching(/^timezone: /),
      ]),
    );
  });

  test("the archiver needs the first Super User and site; a frontend does not", () => {
    const { superUser: _u, site: _s, ...rest } = ARCHIVER_SETTINGS;
    expect(problems(() => renderArchiverCloudInit(rest))).toEqual([
      expect.stringMatching(/^superUser: required on the archiver/),
      expect.stringMatching(/^site: required on the archiver/),
    ]);
    expect(() => renderFrontendCloudInit(rest)).not.toThrow();
  });

  test("Terraform tokens are refused: everything must be known at synth time", () => {
    const list = problems(() => renderFrontendCloudInit({ ...FRONTEND_SETTINGS, keyVaultName: "${TfToken[TOKEN.42]}" }));
    expect(list[0]).toMatch(/Terraform token/);
  });

  test.each<[string, Partial<MatomoHostSettings>, RegExp]>([
    ["replica = primary", { replicaShares: [FRONTEND_SETTINGS.share] }, /^replicaShares: must differ/],
    ["health path shadowing Matomo", { healthPath: "/index.php" }, /^healthPath: /],
    ["health path with a sub-path", { healthPath: "/plugins/x" }, /^healthPath: /],
    ["secret name", { secretNames: { salt: "bad name!" } }, /^secretNames\.salt: /],
    ["private key as CA", { originPullCaPem: "-----BEGIN PRIVATE KEY-----\nQUJD\n-----END PRIVATE KEY-----\n" }, /^originPullCaPem: /],
    ["unknown field", { extra: 1 } as Partial<MatomoHostSettings>, /extra/],
    ["DB user", { database: { host: "db.example.com", username: "matomo'; --" } }, /^database\.username: /],
    ["upgrade wait below the bound", { upgradeWaitMinutes: 4 }, /^upgradeWaitMinutes: /],
    ["upgrade wait above the bound", { upgradeWaitMinutes: 721 }, /^upgradeWaitMinutes: /],
  ])("rejects %s", (_name, patch, expected) => {
    const list = problems(() => renderArchiverCloudInit({ ...ARCHIVER_SETTINGS, ...patch }));
    expect(list.some((p) => expected.test(p))).toBe(true);
  });
});
