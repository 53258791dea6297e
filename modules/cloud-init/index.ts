/**
 * cloud-init for the two Matomo VM roles (frontend scale set, archiver VM).
 *
 * Pure functions of plain, synth-time settings: no cdktf imports, no Terraform
 * tokens, no secrets. The rendered `#cloud-config` writes scripts and templates
 * and starts matomo-provision.service, which at every boot fetches secrets from
 * Key Vault with the VM's managed identity, mounts the region's NFS share,
 * installs the pinned and signature-verified Matomo release and configures
 * nginx/PHP-FPM (frontend) or cron archiving, installs and upgrades (archiver).
 * Details: docs/first-boot.md, ADRs 0005-0007.
 */
import { stringify } from "yaml";
import { fillTemplate, readAsset, readOptionalAsset } from "./assets";
import {
  AZURE_MYSQL_CA_ROOTS,
  AZURE_PROBE_SOURCE,
  CLOUDFLARE_IP_RANGES_PINNED,
  CLOUDFLARE_IPS_URL,
  CRON_JOBS,
  FPM_DEFAULT_PER_CHILD_MIB,
  FPM_RESERVED_MIB,
  FRONTEND_CRON_DB_CONNECTIONS,
  GEOIP_DBIP_BASE_URL,
  GEOIP_MIN_BYTES,
  HEALTH_POOL_MAX_CHILDREN,
  FRONTEND_CODE_REPORT,
  LOCK_FILES,
  MATOMO_RELEASE_BASE_URL,
  MATOMO_RELEASE_KEY_URLS,
  MATOMO_MIN_VERSION,
  MATOMO_RELEASE_SIGNING_KEY_FINGERPRINT,
  MatomoRole,
  PATHS,
  PHP_VERSION,
  PROVISION_SERVICE,
  REQUIRED_PLUGINS,
  SYSLOG_TAGS,
} from "./constants";
import { MatomoHostSettings, MatomoShare, ResolvedSettings, resolveSettings } from "./settings";

export * from "./constants";
export { DEFAULT_SECRET_NAMES, MatomoSettingsError } from "./settings";
export type { MatomoDatabaseSettings, MatomoHostSettings, MatomoPhpSettings, MatomoSecretNames, MatomoShare } from "./settings";

/** Asset file name of the optional embedded release-signing key (ADR 0005). */
export const RELEASE_KEY_ASSET = "matomo-release-signing-key.asc";

/** Mount options of the Azure Files NFS shares (read-only on frontends: the archiver is the only writer). */
export function nfsMountOptions(role: MatomoRole): string {
  return `vers=4,minorversion=1,sec=sys,nconnect=4,_netdev,nofail${role === "frontend" ? ",ro" : ""}`;
}

/**
 * PHP-FPM `pm.max_children` for a frontend with `memoryGiB` of RAM:
 * floor((memoryGiB x 1024 - 1536 MiB reserved) / perChildMiB), at least 2.
 * The 1.5 GiB reserve covers the OS, nginx, opcache (256 MiB), the FPM master
 * and cron console jobs; `perChildMiB` is the average worker size (default 96).
 * Each worker may hold one MySQL connection: size `max_connections` with
 * `dbConnectionsPerFrontend()` times the maximum number of frontends in both
 * regions, plus `ARCHIVER_DB_CONNECTIONS` and headroom.
 */
export function fpmMaxChildrenFor(memoryGiB: number, perChildMiB: number = FPM_DEFAULT_PER_CHILD_MIB): number {
  if (!Number.isFinite(memoryGiB) || memoryGiB <= 0) throw new RangeError(`fpmMaxChildrenFor: memoryGiB must be > 0 (got ${memoryGiB})`);
  if (!Number.isFinite(perChildMiB) || perChildMiB < 32) throw new RangeError(`fpmMaxChildrenFor: perChildMiB must be >= 32 (got ${perChildMiB})`);
  return Math.max(2, Math.floor((memoryGiB * 1024 - FPM_RESERVED_MIB) / perChildMiB));
}

/** MySQL connections one frontend can open: app workers, health workers, cron jobs. */
export function dbConnectionsPerFrontend(fpmMaxChildren: number): number {
  return fpmMaxChildren + HEALTH_POOL_MAX_CHILDREN + FRONTEND_CRON_DB_CONNECTIONS;
}

/** `#cloud-config` for a frontend (nginx + PHP-FPM, tracker/Tag Manager crons, health endpoint). */
export function renderFrontendCloudInit(s: MatomoHostSettings): string {
  return render(resolveSettings(s, "frontend"));
}

/** `#cloud-config` for the archiver (PHP CLI, archiving, installs/upgrades, replica sync). */
export function renderArchiverCloudInit(s: MatomoHostSettings): string {
  return render(resolveSettings(s, "archiver"));
}

interface WriteFile {
  readonly path: string;
  readonly owner: string;
  readonly permissions: string;
  readonly content: string;
}

function file(path: string, content: string, permissions = "0644"): WriteFile {
  return { path, owner: "root:root", permissions, content: content.endsWith("\n") ? content : `${content}\n` };
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function replicaMountPoint(share: MatomoShare): string {
  return `${PATHS.replicaMountRoot}/${share.exportPath.slice(1).replace("/", "-")}`;
}

/** What provisioning may take without an upgrade wait: downloads, retries, an install or a migration. */
const PROVISION_MINUTES = 45;

function renderEnv(s: ResolvedSettings): string {
  const archiver = s.role === "archiver";
  const vars: [string, string][] = [
    ["MATOMO_ROLE", s.role],
    ["MATOMO_VERSION", s.matomoVersion],
    ["MATOMO_MIN_VERSION", MATOMO_MIN_VERSION],
    ["MATOMO_PHP_VERSION", PHP_VERSION],
    ["MATOMO_PUBLIC_HOSTNAME", s.publicHostname],
    ["MATOMO_KEY_VAULT_NAME", s.keyVaultName],
    ["MATOMO_SECRET_DB_PASSWORD", s.secretNames.dbPassword],
    ["MATOMO_SECRET_SALT", s.secretNames.salt],
    ...(archiver
      ? ([
          ["MATOMO_SECRET_DB_ADMIN_PASSWORD", s.secretNames.dbAdminPassword],
          ["MATOMO_SECRET_SUPERUSER_PASSWORD", s.secretNames.superUserPassword],
        ] as [string, string][])
      : ([
          ["MATOMO_SECRET_ORIGIN_CERT", s.secretNames.originCertificate],
          ["MATOMO_SECRET_ORIGIN_KEY", s.secretNames.originPrivateKey],
        ] as [string, string][])),
    ["MATOMO_DB_HOST", s.database.host],
    ["MATOMO_DB_NAME", s.database.name],
    ["MATOMO_DB_USER", s.database.username],
    ...(archiver ? ([["MATOMO_DB_ADMIN_USER", s.database.adminUsername]] as [string, string][]) : []),
    ["MATOMO_DB_TABLES_PREFIX", s.database.tablesPrefix],
    ["MATOMO_DB_CA_FILE", PATHS.dbCaFile],
    ["MATOMO_DB_CA_ROOTS", AZURE_MYSQL_CA_ROOTS.join(" ")],
    ["MATOMO_INSTALL_DIR", PATHS.installDir],
    ["MATOMO_LIB_DIR", PATHS.libDir],
    ["MATOMO_STAGED_DIR", PATHS.stagedDir],
    ["MATOMO_RUN_DIR", PATHS.runDir],
    ["MATOMO_READY_FILE", PATHS.readyFile],
    ["MATOMO_STATE_DIR", PATHS.stateDir],
    ["MATOMO_FSTAB_FILE", PATHS.fstabFile],
    ["MATOMO_COMMON_CONFIG_TEMPLATE", PATHS.commonConfigTemplate],
    ["MATOMO_SHARE_MOUNT", PATHS.shareMount],
    ["MATOMO_SHARE_MARKER", PATHS.shareMarker],
    ["MATOMO_GEOIP_DB", PATHS.sharedGeoipDb],
    ["MATOMO_REPLICA_MOUNTS", s.replicaShares.map(replicaMountPoint).join(" ")],
    ["MATOMO_MAINTENANCE_LOCK", LOCK_FILES.maintenance],
    ["MATOMO_RELEASE_FINGERPRINT", MATOMO_RELEASE_SIGNING_KEY_FINGERPRINT],
    ["MATOMO_RELEASE_BASE_URL", MATOMO_RELEASE_BASE_URL],
    ["MATOMO_RELEASE_KEY_FILE", PATHS.releaseKeyFile],
    ["MATOMO_RELEASE_KEY_URLS", MATOMO_RELEASE_KEY_URLS.join(" ")],
    ["MATOMO_RELEASE_MARKER", PATHS.releaseMarker],
    ...(archiver
      ? ([
          ["MATOMO_INSTALL_FILE", PATHS.installFile],
          ["MATOMO_ARCHIVE_HEARTBEAT_FILE", PATHS.archiveHeartbeatFile],
          ["MATOMO_ARCHIVE_HEARTBEAT_TAG", SYSLOG_TAGS.archiveHeartbeat],
          ["MATOMO_SHARE_SYNC_HEARTBEAT_TAG", SYSLOG_TAGS.shareSyncHeartbeat],
          ["MATOMO_SHARE_SYNC_LOCK", LOCK_FILES.shareSync],
          ["MATOMO_REQUIRED_PLUGINS", REQUIRED_PLUGINS.join(" ")],
          ["MATOMO_GEOIP_BASE_URL", GEOIP_DBIP_BASE_URL],
          ["MATOMO_GEOIP_MIN_BYTES", String(GEOIP_MIN_BYTES)],
          ["MATOMO_GEOIP_LOCK", LOCK_FILES.geoip],
          ["MATOMO_GEOIP_UPDATED_TAG", SYSLOG_TAGS.geoipUpdated],
          ["MATOMO_UPGRADE_WAIT_SECONDS", String(s.upgradeWaitMinutes * 60)],
          ["MATOMO_FRONTEND_POLL_SECONDS", String(FRONTEND_CODE_REPORT.pollSeconds)],
          ["MATOMO_FRONTEND_LIVE_SECONDS", String(FRONTEND_CODE_REPORT.liveSeconds)],
          ["MATOMO_FRONTEND_REPORT_TABLE", FRONTEND_CODE_REPORT.table],
        ] as [string, string][])
      : ([
          ["MATOMO_HEALTH_SCRIPT", PATHS.healthScript],
          ["MATOMO_HEALTH_STATE_DIR", PATHS.healthStateDir],
          ["MATOMO_NGINX_TLS_DIR", PATHS.nginxTlsDir],
          ["MATOMO_NGINX_REALIP_FILE", PATHS.nginxRealIp],
          ["MATOMO_CLOUDFLARE_IPS_URL", CLOUDFLARE_IPS_URL],
          ["MATOMO_CLOUDFLARE_IPS_LOCK", LOCK_FILES.cloudflareIps],
        ] as [string, string][])),
  ];
  return [
    "# Rendered by modules/cloud-init at synth time. No secret values: only Key Vault secret names.",
    ...vars.map(([k, v]) => `${k}=${shellQuote(v)}`),
  ].join("\n");
}

function renderFstab(s: ResolvedSettings): string {
  const line = (share: MatomoShare, mountPoint: string) => `${share.host}:${share.exportPath} ${mountPoint} nfs ${nfsMountOptions(s.role)} 0 0`;
  return [line(s.share, PATHS.shareMount), ...s.replicaShares.map((r) => line(r, replicaMountPoint(r)))].join("\n");
}

function renderCron(s: ResolvedSettings): string {
  return [
    `# Matomo blueprint (${s.role}), rendered by cloud-init. Every job runs under flock -n and`,
    "# does nothing until this boot's provisioning has completed. Times are in the VM's time zone.",
    "SHELL=/bin/sh",
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    'MAILTO=""',
    ...CRON_JOBS.filter((j) => j.role === s.role).map((j) => `${j.schedule} ${j.user} flock -n ${j.lockFile} ${j.command}`),
  ].join("\n");
}

/**
 * Blueprint-owned Matomo settings (https://github.com/matomo-org/matomo/blob/5.x-dev/config/global.ini.php
 * documents each), local to each VM. The DB
 * password and salt are filled in at boot from Key Vault, so neither is in
 * custom data nor on the NFS share; config.ini.php on the share keeps only what
 * Matomo writes itself (installed plugins, collation).
 */
function renderCommonConfigTemplate(s: ResolvedSettings): string {
  return [
    "; <?php exit; ?> DO NOT REMOVE THIS LINE",
    "; Rendered at every boot by the Matomo blueprint (render-config.php); local to this VM, do not edit.",
    "; Matomo reads global.ini.php, this file, then config.ini.php on the share (what Matomo writes itself).",
    "",
    "[database]",
    `host = "${s.database.host}"`,
    `username = "${s.database.username}"`,
    `password = "@@MATOMO_DB_PASSWORD@@"`,
    `dbname = "${s.database.name}"`,
    `tables_prefix = "${s.database.tablesPrefix}"`,
    "port = 3306",
    `charset = "utf8mb4"`,
    "; Azure enforces TLS (require_secure_transport); verify against Azure's roots only.",
    "enable_ssl = 1",
    `ssl_ca = "${PATHS.dbCaFile}"`,
    "",
    "[General]",
    "; One salt for every server, from Key Vault; never change it (tokens, sessions, visitor ids).",
    `salt = "@@MATOMO_SALT@@"`,
    "multi_server_environment = 1",
    "; Reports are built by the archiver's hourly core:archive only.",
    "enable_browser_archiving_triggering = 0",
    "browser_archiving_disabled_enforce = 1",
    "; Behind Cloudflare: real client IP and HTTPS.",
    "proxy_client_headers[] = HTTP_CF_CONNECTING_IP",
    "force_ssl = 1",
    "assume_secure_protocol = 1",
    ...s.trustedHosts.map((h) => `trusted_hosts[] = "${h}"`),
    "; Installs and upgrades are done by the blueprint (archiver), never from the UI.",
    "enable_installer = 0",
    "enable_auto_update = 0",
    "enable_plugins_admin = 0",
    "; Frontends cannot write config.ini.php (read-only share): hide the UI settings that would",
    "; (trusted hosts, archiving, updates); change them on the archiver (docs/runbooks/change-matomo-settings.md).",
    "enable_general_settings_admin = 0",
    "; Azure Database for MySQL grants no FILE privilege.",
    "enable_load_data_infile = 0",
  ].join("\n");
}

function renderInstallJson(s: ResolvedSettings): string {
  if (!s.superUser || !s.site) throw new Error("archiver settings resolved without superUser/site");
  return JSON.stringify(
    {
      publicHostname: s.publicHostname,
      siteName: s.site.name,
      siteUrl: s.site.url,
      superUserEmail: s.superUser.email,
      superUserLogin: s.superUser.login,
      timezone: s.timezone,
    },
    null,
    2,
  );
}

function renderRealIpPinned(): string {
  return [
    "# Cloudflare ranges pinned at synth time; cloudflare-ips.sh replaces them with the live list.",
    ...[...CLOUDFLARE_IP_RANGES_PINNED.ipv4, ...CLOUDFLARE_IP_RANGES_PINNED.ipv6].map((c) => `set_real_ip_from ${c};`),
  ].join("\n");
}

function renderPhpIni(s: ResolvedSettings, sapi: "fpm" | "cli"): string {
  const memory = sapi === "cli" && s.role === "archiver" ? s.php.cliMemoryLimitMb : s.php.memoryLimitMb;
  return fillTemplate("php.ini", readAsset("php.ini"), {
    SAPI: sapi,
    TIMEZONE: s.timezone,
    MEMORY_LIMIT: `${memory}M`,
    MAX_EXECUTION_TIME: sapi === "cli" ? 0 : 300,
  });
}

function renderFpmPool(s: ResolvedSettings): string {
  const max = s.php.fpmMaxChildren;
  const minSpare = Math.max(1, Math.min(max, Math.floor(max / 8)));
  const maxSpare = Math.max(minSpare, Math.min(max, Math.floor(max / 2)));
  return fillTemplate("fpm-pool-matomo.conf", readAsset("fpm-pool-matomo.conf"), {
    PHP_SOCKET: PATHS.phpSocket,
    MAX_CHILDREN: max,
    START_SERVERS: Math.min(max, Math.max(minSpare, Math.floor(max / 4))),
    MIN_SPARE: minSpare,
    MAX_SPARE: maxSpare,
    MEMORY_LIMIT: `${s.php.memoryLimitMb}M`,
  });
}

/**
 * A script as it goes into custom data: full-line comments dropped (they are
 * for reviewers and stay in files/; Azure allows 65,535 bytes), shellcheck
 * directives and the shebang kept, and a pointer to the commented source.
 */
export function scriptForVm(name: string, text: string): string {
  const isShell = name.endsWith(".sh");
  // Whole lines only: the scripts have no heredocs, so a leading '#' is always a comment.
  const comment = isShell ? /^\s*#(?!!| shellcheck )/ : /^\s*(\/\/|\/\*|\*\/|\* |\*$)/;
  const lines = text.split("\n").filter((l) => !comment.test(l));
  const pointer = `${isShell ? "#" : "//"} Commented source: modules/cloud-init/files/${name} of the Matomo blueprint.`;
  lines.splice(1, 0, pointer);
  return lines.join("\n");
}

function scripts(role: MatomoRole): string[] {
  const common = ["lib.sh", "provision.sh", "release.sh", "job.sh", "render-config.php"];
  return role === "frontend"
    ? [...common, "cloudflare-ips.sh", "refresh-tls.sh"]
    : [...common, "maintenance.sh", "share-sync.sh", "geoip.sh", "setup.php", "dbtool.php"];
}

function writeFiles(s: ResolvedSettings): WriteFile[] {
  const files: WriteFile[] = [
    file(PATHS.envFile, renderEnv(s)),
    file(PATHS.fstabFile, renderFstab(s)),
    file(PATHS.commonConfigTemplate, renderCommonConfigTemplate(s)),
    ...scripts(s.role).map((name) =>
      file(`${PATHS.libDir}/${name}`, scriptForVm(name, readAsset(name)), name.endsWith(".sh") && name !== "lib.sh" ? "0755" : "0644"),
    ),
    file(`${PATHS.stagedDir}/php-cli.ini`, renderPhpIni(s, "cli")),
    file(
      PATHS.provisionUnit,
      fillTemplate("matomo-provision.service", readAsset("matomo-provision.service"), {
        LIB_DIR: PATHS.libDir,
        START_TIMEOUT: `${PROVISION_MINUTES + (s.role === "archiver" ? s.upgradeWaitMinutes : 0)}min`,
      }),
    ),
    file(PATHS.cronFile, renderCron(s)),
  ];
  const releaseKey = readOptionalAsset(RELEASE_KEY_ASSET);
  if (releaseKey !== undefined) files.push(file(PATHS.releaseKeyFile, releaseKey));

  if (s.role === "archiver") {
    files.push(file(PATHS.installFile, renderInstallJson(s)));
    return files;
  }
  files.push(
    file(`${PATHS.stagedDir}/php-fpm.ini`, renderPhpIni(s, "fpm")),
    file(`${PATHS.stagedDir}/fpm-pool-matomo.conf`, renderFpmPool(s)),
    file(
      `${PATHS.stagedDir}/fpm-pool-health.conf`,
      fillTemplate("fpm-pool-health.conf", readAsset("fpm-pool-health.conf"), {
        HEALTH_SOCKET: PATHS.healthSocket,
        HEALTH_CHILDREN: HEALTH_POOL_MAX_CHILDREN,
      }),
    ),
    file(
      `${PATHS.stagedDir}/healthz.php`,
      fillTemplate("healthz.php", scriptForVm("healthz.php", readAsset("healthz.php")), {
        READY_FILE: PATHS.readyFile,
        SHARE_MARKER: PATHS.shareMarker,
        SHARED_CONFIG: PATHS.localConfig,
        COMMON_CONFIG: PATHS.commonConfig,
        VERSION_FILE: `${PATHS.installDir}/core/Version.php`,
        REPORT_STAMP: `${PATHS.healthStateDir}/code-reported`,
        REPORT_TABLE: FRONTEND_CODE_REPORT.table,
        REPORT_SECONDS: FRONTEND_CODE_REPORT.reportSeconds,
      }),
    ),
    file(
      PATHS.nginxHttpConf,
      fillTemplate("nginx-http.conf", readAsset("nginx-http.conf"), {
        REALIP_FILE: PATHS.nginxRealIp,
        AZURE_PROBE_SOURCE,
      }),
    ),
    file(PATHS.nginxRealIp, renderRealIpPinned()),
    file(PATHS.nginxHeaders, readAsset("nginx-headers.conf")),
    file(
      PATHS.nginxTls,
      fillTemplate("nginx-tls.conf", readAsset("nginx-tls.conf"), {
        TLS_DIR: PATHS.nginxTlsDir,
        ORIGIN_PULL_CA: PATHS.originPullCa,
      }),
    ),
    file(
      PATHS.nginxHealth,
      fillTemplate("nginx-health.conf", readAsset("nginx-health.conf"), {
        HEALTH_PATH: s.healthPath,
        HEALTH_SCRIPT: PATHS.healthScript,
        HEALTH_SOCKET: PATHS.healthSocket,
      }),
    ),
    file(
      PATHS.nginxSite,
      fillTemplate("nginx-site.conf", readAsset("nginx-site.conf"), {
        SERVER_NAMES: s.trustedHosts.join(" "),
        INSTALL_DIR: PATHS.installDir,
        PHP_SOCKET: PATHS.phpSocket,
      }),
    ),
    file(PATHS.originPullCa, s.originPullCaPem ?? readAsset("cloudflare-origin-pull-ca.pem")),
  );
  return files;
}

function packages(role: MatomoRole): string[] {
  const php = ["cli", "mysql", "gd", "xml", "mbstring", "curl", "zip", "intl", "bcmath", "opcache"].map((e) => `php${PHP_VERSION}-${e}`);
  const common = ["ca-certificates", "cron", "curl", "gnupg", "jq", "nfs-common", "openssl", ...php];
  return role === "frontend" ? [...common, "nginx", `php${PHP_VERSION}-fpm`] : [...common, "rsync"];
}

function render(s: ResolvedSettings): string {
  const doc = {
    package_update: true,
    package_upgrade: false,
    packages: packages(s.role),
    timezone: s.timezone,
    write_files: writeFiles(s),
    // First boot; later boots start the unit through multi-user.target.
    runcmd: [
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", PROVISION_SERVICE],
      ["systemctl", "start", PROVISION_SERVICE],
    ],
  };
  const header = [
    "#cloud-config",
    `# Matomo ${s.matomoVersion} ${s.role} for ${s.publicHostname}: rendered by modules/cloud-init.`,
    "# Contains no secrets; the VM reads them from Key Vault at boot with its managed identity.",
  ].join("\n");
  return `${header}\n${stringify(doc, { lineWidth: 0, blockQuote: "literal" })}`;
}
