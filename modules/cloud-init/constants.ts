/**
 * Fixed facts of the VM layout that tests, docs and the other stacks refer to.
 * Everything here is rendered into the cloud-init (env file, cron file,
 * templates), so the scripts and this file cannot drift apart.
 */

/** Ubuntu 24.04 LTS ships PHP 8.3; the FPM service, sockets and /etc paths carry it. */
export const PHP_VERSION = "8.3";

/** Matomo's release-signing key ("Matomo <hello@matomo.org>", RSA-4096, since 4.8.0; https://matomo.org/faq/how-to/faq_19308/). */
export const MATOMO_RELEASE_SIGNING_KEY_FINGERPRINT = "F529A27008477483777FC23D63BB30D0E5D2C749";

/**
 * Oldest release the headless install supports: setup.php calls
 * `DbHelper::getDefaultCollationForCharset()`, which first shipped in 5.1.2
 * (https://github.com/matomo-org/matomo/blob/5.1.2/core/DbHelper.php).
 */
export const MATOMO_MIN_VERSION = "5.1.2";

/** Whether `version` ("x.y.z") is at least `minimum`; other shapes are left to the format check. */
export function isMatomoVersionAtLeast(version: string, minimum: string = MATOMO_MIN_VERSION): boolean {
  const parse = (v: string) => /^(\d+)\.(\d+)\.(\d+)$/.exec(v)?.slice(1).map(Number);
  const [a, b] = [parse(version), parse(minimum)];
  if (!a || !b) return true;
  const i = a.findIndex((n, k) => n !== b[k]);
  return i < 0 || a[i] > b[i];
}

/**
 * Plugins the blueprint activates on the archiver at every install and
 * upgrade: Matomo 5 ships Tag Manager deactivated, the frontends' cron needs
 * it, and `enable_plugins_admin = 0` keeps the UI from activating it.
 */
export const REQUIRED_PLUGINS = ["TagManager"] as const;

/**
 * DB-IP's free "IP to City Lite" database, monthly, CC BY 4.0 with attribution
 * (https://db-ip.com/db/download/ip-to-city-lite). Matomo's GeoIP2 provider
 * finds it as `misc/DBIP-City.mmdb` (plugins/GeoIp2/LocationProvider/GeoIp2.php).
 */
export const GEOIP_DBIP_BASE_URL = "https://download.db-ip.com/free";
/** A real city database is well above this; an error page or a truncated file is not. */
export const GEOIP_MIN_BYTES = 8 * 1024 * 1024;

/** Where releases and their detached `.asc` signatures are published (https://matomo.org/faq/how-to/faq_19308/). */
export const MATOMO_RELEASE_BASE_URL = "https://builds.matomo.org";

/**
 * Fallback sources of the signing key, used only when the blueprint ships no
 * embedded copy. The fingerprint pin, not the source, is what is trusted.
 */
export const MATOMO_RELEASE_KEY_URLS = [
  `https://keyserver.ubuntu.com/pks/lookup?op=get&options=mr&search=0x${MATOMO_RELEASE_SIGNING_KEY_FINGERPRINT}`,
  `${MATOMO_RELEASE_BASE_URL}/signature.asc`,
] as const;

/** Cloudflare's machine-readable list of its edge ranges. */
export const CLOUDFLARE_IPS_URL = "https://api.cloudflare.com/client/v4/ips";

/**
 * Cloudflare edge ranges pinned at synth time (https://www.cloudflare.com/ips/,
 * unchanged since 2021 and cross-checked in 2026). VMs start with this list and
 * replace it with the live one at boot and every 6 hours (cloudflare-ips.sh).
 */
export const CLOUDFLARE_IP_RANGES_PINNED = {
  ipv4: [
    "173.245.48.0/20",
    "103.21.244.0/22",
    "103.22.200.0/22",
    "103.31.4.0/22",
    "141.101.64.0/18",
    "108.162.192.0/18",
    "190.93.240.0/20",
    "188.114.96.0/20",
    "197.234.240.0/22",
    "198.41.128.0/17",
    "162.158.0.0/15",
    "104.16.0.0/13",
    "104.24.0.0/14",
    "172.64.0.0/13",
    "131.0.72.0/22",
  ],
  ipv6: ["2400:cb00::/32", "2606:4700::/32", "2803:f800::/32", "2405:b500::/32", "2405:8100::/32", "2a06:98c0::/29", "2c0f:f248::/32"],
} as const;

/**
 * Roots of Azure Database for MySQL's server certificates, as shipped by
 * Ubuntu's ca-certificates. The DB CA bundle is built from these only.
 */
export const AZURE_MYSQL_CA_ROOTS = [
  "/usr/share/ca-certificates/mozilla/DigiCert_Global_Root_G2.crt",
  "/usr/share/ca-certificates/mozilla/Microsoft_RSA_Root_Certificate_Authority_2017.crt",
] as const;

/** Paths on the VMs. `installDir` is the same on every VM (a shared Redis cache requires it: https://matomo.org/faq/how-to/faq_20511). */
export const PATHS = {
  installDir: "/var/www/matomo",
  commonConfig: "/var/www/matomo/config/common.config.ini.php",
  localConfig: "/var/www/matomo/config/config.ini.php",
  healthScript: "/var/www/matomo-health/healthz.php",
  /** Health pool's own tmpfs folder: when it last reported this frontend's code version. */
  healthStateDir: "/run/matomo-health",
  libDir: "/usr/local/lib/matomo",
  stagedDir: "/usr/local/share/matomo",
  releaseKeyFile: "/usr/local/share/matomo/matomo-release-signing-key.asc",
  configDir: "/etc/matomo",
  envFile: "/etc/matomo/matomo.env",
  fstabFile: "/etc/matomo/fstab.matomo",
  installFile: "/etc/matomo/install.json",
  commonConfigTemplate: "/etc/matomo/common.config.ini.php.tpl",
  dbCaFile: "/etc/matomo/azure-mysql-ca.pem",
  runDir: "/run/matomo",
  readyFile: "/run/matomo/ready",
  secretsDir: "/run/matomo/secrets",
  stateDir: "/var/lib/matomo",
  archiveHeartbeatFile: "/var/lib/matomo/archive-heartbeat",
  /** Installed release, kept outside the Matomo tree so its file-integrity check stays clean. */
  releaseMarker: "/var/lib/matomo/release",
  shareMount: "/mnt/matomo-share",
  shareMarker: "/mnt/matomo-share/.matomo-shared-set",
  sharedConfig: "/mnt/matomo-share/config/config.ini.php",
  /** Geolocation database on the share; every VM links `misc/DBIP-City.mmdb` to it. */
  sharedGeoipDb: "/mnt/matomo-share/misc/DBIP-City.mmdb",
  replicaMountRoot: "/mnt/matomo-replicas",
  cronFile: "/etc/cron.d/matomo",
  provisionUnit: "/etc/systemd/system/matomo-provision.service",
  nginxHttpConf: "/etc/nginx/conf.d/matomo.conf",
  nginxSite: "/etc/nginx/sites-available/matomo.conf",
  nginxHeaders: "/etc/nginx/snippets/matomo-headers.conf",
  nginxTls: "/etc/nginx/snippets/matomo-tls.conf",
  nginxHealth: "/etc/nginx/snippets/matomo-health.conf",
  nginxRealIp: "/etc/nginx/matomo-cloudflare-realip.conf",
  nginxTlsDir: "/etc/nginx/tls",
  originPullCa: "/etc/nginx/tls/cloudflare-origin-pull-ca.pem",
  phpSocket: `/run/php/php${PHP_VERSION}-fpm-matomo.sock`,
  healthSocket: `/run/php/php${PHP_VERSION}-fpm-matomo-health.sock`,
} as const;

/** systemd unit that provisions at every boot. */
export const PROVISION_SERVICE = "matomo-provision.service";

/** `flock` lock files, one per job so different jobs may overlap but one job never does. */
export const LOCK_FILES = {
  customJs: "/run/lock/matomo-custom-js.lock",
  tagManager: "/run/lock/matomo-tagmanager.lock",
  archive: "/run/lock/matomo-archive.lock",
  scheduledTasks: "/run/lock/matomo-scheduled-tasks.lock",
  shareSync: "/run/lock/matomo-share-sync.lock",
  geoip: "/run/lock/matomo-geoip.lock",
  cloudflareIps: "/run/lock/matomo-cloudflare-ips.lock",
  originTls: "/run/lock/matomo-origin-tls.lock",
  /** Held shared by archive/scheduled tasks, exclusively by installs and `core:update`. */
  maintenance: "/run/lock/matomo-maintenance.lock",
} as const;

export type MatomoRole = "frontend" | "archiver";

/** One line of /etc/cron.d/matomo. */
export interface CronJob {
  readonly name: string;
  readonly role: MatomoRole;
  /** Five cron fields, in the VM's time zone (`timezone` setting). */
  readonly schedule: string;
  readonly user: "www-data" | "root";
  readonly lockFile: string;
  /** What flock runs (a script, never `console core:archive` itself: matomo#25173). */
  readonly command: string;
}

export const CRON_JOBS: readonly CronJob[] = [
  { name: "custom-js", role: "frontend", schedule: "* * * * *", user: "www-data", lockFile: LOCK_FILES.customJs, command: `${PATHS.libDir}/job.sh custom-js` },
  {
    name: "tagmanager",
    role: "frontend",
    schedule: "* * * * *",
    user: "www-data",
    lockFile: LOCK_FILES.tagManager,
    command: `${PATHS.libDir}/job.sh tagmanager`,
  },
  {
    name: "cloudflare-ips",
    role: "frontend",
    schedule: "17 */6 * * *",
    user: "root",
    lockFile: LOCK_FILES.cloudflareIps,
    command: `${PATHS.libDir}/cloudflare-ips.sh`,
  },
  { name: "origin-tls", role: "frontend", schedule: "23 * * * *", user: "root", lockFile: LOCK_FILES.originTls, command: `${PATHS.libDir}/refresh-tls.sh` },
  { name: "archive", role: "archiver", schedule: "5 * * * *", user: "www-data", lockFile: LOCK_FILES.archive, command: `${PATHS.libDir}/job.sh archive` },
  {
    name: "scheduled-tasks",
    role: "archiver",
    schedule: "35 * * * *",
    user: "www-data",
    lockFile: LOCK_FILES.scheduledTasks,
    command: `${PATHS.libDir}/job.sh scheduled-tasks`,
  },
  { name: "share-sync", role: "archiver", schedule: "*/5 * * * *", user: "root", lockFile: LOCK_FILES.shareSync, command: `${PATHS.libDir}/share-sync.sh` },
  // Daily, but it downloads only when this month's database is not on the share yet.
  { name: "geoip", role: "archiver", schedule: "47 4 * * *", user: "root", lockFile: LOCK_FILES.geoip, command: `${PATHS.libDir}/geoip.sh` },
];

/** Syslog tags an alert can watch (a stale heartbeat means reports are not being built). */
export const SYSLOG_TAGS = {
  /** After every successful hourly `core:archive`; also written as epoch seconds to `PATHS.archiveHeartbeatFile`. */
  archiveHeartbeat: "matomo-archive-heartbeat",
  /** After every successful copy of the shared set to a replica share. */
  shareSyncHeartbeat: "matomo-share-sync-heartbeat",
  /** After a new geolocation database is in place on the share. */
  geoipUpdated: "matomo-geoip-updated",
  provision: "matomo-provision",
} as const;

/** @default health path served on 443 by every frontend. */
export const DEFAULT_HEALTH_PATH = "/healthz";

/**
 * Source address of Azure's platform health probes (the LB probe), the only
 * non-loopback client served without Cloudflare's client certificate
 * (learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16).
 */
export const AZURE_PROBE_SOURCE = "168.63.129.16";

/** PHP-FPM workers of the health pool (each may hold one MySQL connection). */
export const HEALTH_POOL_MAX_CHILDREN = 2;

/**
 * Rolling upgrades: Matomo serves nothing but its "database has already been upgraded" page
 * from code older than the schema (core/FrontController.php), so the archiver migrates the
 * schema only once no live frontend reports older code. Each frontend's health endpoint, on
 * the MySQL connection it opens anyway, writes its code version to this table of Matomo's
 * database at most every `reportSeconds`; one not heard of for `liveSeconds` is gone.
 */
export const FRONTEND_CODE_REPORT = {
  table: "blueprint_frontends",
  reportSeconds: 60,
  liveSeconds: 180,
  /** How often the waiting archiver looks again. */
  pollSeconds: 30,
} as const;

/** Bounds of the archiver's wait for the frontends' rollout before `core:update` (minutes). */
export const UPGRADE_WAIT_MINUTES = { min: 5, max: 720, default: 120 } as const;

/** Console cron jobs per frontend that may hold a MySQL connection at once. */
export const FRONTEND_CRON_DB_CONNECTIONS = 2;

/**
 * MySQL connections of the archiver: one `core:archive` (flock) with Matomo's
 * 3 concurrent requests per site, scheduled tasks, one install/update, margin.
 */
export const ARCHIVER_DB_CONNECTIONS = 10;

/** Memory left to the OS, nginx, opcache (256 MiB), the FPM master and cron jobs. */
export const FPM_RESERVED_MIB = 1536;

/** Average resident size of a Matomo FPM worker; requests above it are bounded by `memory_limit`. */
export const FPM_DEFAULT_PER_CHILD_MIB = 96;

/** Ports the VMs use: HTTPS in (Cloudflare, LB probe); NFS and MySQL out. */
export const PORTS = { https: 443, nfs: 2049, mysql: 3306 } as const;

/** Azure decodes custom data to at most this many bytes. */
export const AZURE_CUSTOM_DATA_MAX_BYTES = 65535;
