import { z } from "zod";
import { DB_NAME, DB_USERS, SECRET_NAMES } from "../common/secret-names";
import { DEFAULT_HEALTH_PATH, MATOMO_MIN_VERSION, MatomoRole, UPGRADE_WAIT_MINUTES, isMatomoVersionAtLeast } from "./constants";
import { EMAIL, HOSTNAME, HTTPS_URL, MATOMO_LOGIN, MATOMO_VERSION, isTimezone } from "../common/formats";

/** An Azure Files NFS share as the VMs mount it. */
export interface MatomoShare {
  /** Storage account endpoint, `<account>.file.core.windows.net` (resolved to the private endpoint). */
  readonly host: string;
  /** NFS export, `/<account>/<share>`. */
  readonly exportPath: string;
}

/** Names (never values) of the Key Vault secrets the VMs read at boot. */
export interface MatomoSecretNames {
  /** Password of the Matomo MySQL user. @default "matomo-db-password" */
  readonly dbPassword?: string;
  /** Matomo `[General] salt`, identical everywhere, never changed. @default "matomo-salt" */
  readonly salt?: string;
  /** Cloudflare Origin CA certificate, PEM (frontends). @default "origin-certificate-pem" */
  readonly originCertificate?: string;
  /** Its private key, PEM (frontends). @default "origin-private-key-pem" */
  readonly originPrivateKey?: string;
  /** MySQL administrator password (archiver only: creates the Matomo user). @default "mysql-admin-password" */
  readonly dbAdminPassword?: string;
  /** First Super User's password (archiver only: first install). @default "matomo-superuser-password" */
  readonly superUserPassword?: string;
}

export interface MatomoDatabaseSettings {
  /** MySQL server FQDN, e.g. `<server>.mysql.database.azure.com` (the writable primary). */
  readonly host: string;
  /** @default "matomo" */
  readonly name?: string;
  /** Least-privilege Matomo user. @default "matomo" */
  readonly username?: string;
  /** Administrator login (archiver only). @default "mysqladmin" */
  readonly adminUsername?: string;
  /** Prefix of Matomo's tables. @default "matomo_" */
  readonly tablesPrefix?: string;
}

export interface MatomoPhpSettings {
  /** `pm.max_children` of the application pool; size it with `fpmMaxChildrenFor()`. */
  readonly fpmMaxChildren: number;
  /** `memory_limit` of PHP-FPM workers (and frontend CLI), MiB. @default 512 */
  readonly memoryLimitMb?: number;
  /** `memory_limit` of the archiver's PHP CLI (`core:archive`), MiB. @default 2048 */
  readonly cliMemoryLimitMb?: number;
}

/** Plain values known at synth time: no Terraform tokens, no secrets. */
export interface MatomoHostSettings {
  /** Pinned Matomo release, "5.x.y" (config: `matomo.version`). */
  readonly matomoVersion: string;
  /** Public host name behind Cloudflare (config: `hostname`); first `trusted_hosts[]`. */
  readonly publicHostname: string;
  /** Extra `trusted_hosts[]`. @default [] */
  readonly trustedHosts?: readonly string[];
  /** Key Vault name; the VMs use https://<name>.vault.azure.net. */
  readonly keyVaultName: string;
  /** Key Vault secret names. @default the names in modules/common/secret-names.ts */
  readonly secretNames?: MatomoSecretNames;
  readonly database: MatomoDatabaseSettings;
  /** This VM's region's share (config.ini.php, misc/user). */
  readonly share: MatomoShare;
  /** Archiver only: the other region's share(s) it keeps a copy of the shared set on. @default [] */
  readonly replicaShares?: readonly MatomoShare[];
  readonly php: MatomoPhpSettings;
  /** First Super User (archiver, first install only). */
  readonly superUser?: { readonly login: string; readonly email: string };
  /** First tracked site (archiver, first install only). */
  readonly site?: { readonly name: string; readonly url: string };
  /**
   * Archiver: how long an upgrade waits, before `core:update`, for every live frontend to run
   * the new code (older code answers 503 on a migrated schema). Then it stops and names them.
   * @default 120
   */
  readonly upgradeWaitMinutes?: number;
  /** IANA time zone of the VMs (cron schedules), PHP and the first site. @default "UTC" */
  readonly timezone?: string;
  /** Health endpoint path on 443. @default "/healthz" */
  readonly healthPath?: string;
  /**
   * CA that signs Cloudflare's Authenticated Origin Pulls client certificate (PEM).
   * @default Cloudflare's origin-pull CA (files/cloudflare-origin-pull-ca.pem, valid to 2029-11-01)
   */
  readonly originPullCaPem?: string;
}

/** Settings with every default applied and every value validated. */
export interface ResolvedSettings {
  readonly role: MatomoRole;
  readonly matomoVersion: string;
  readonly publicHostname: string;
  readonly trustedHosts: readonly string[];
  readonly keyVaultName: string;
  readonly secretNames: Required<MatomoSecretNames>;
  readonly database: Required<MatomoDatabaseSettings>;
  readonly share: MatomoShare;
  readonly replicaShares: readonly MatomoShare[];
  readonly php: Required<MatomoPhpSettings>;
  readonly superUser?: { readonly login: string; readonly email: string };
  readonly site?: { readonly name: string; readonly url: string };
  readonly upgradeWaitMinutes: number;
  readonly timezone: string;
  readonly healthPath: string;
  readonly originPullCaPem?: string;
}

export const DEFAULT_SECRET_NAMES: Required<MatomoSecretNames> = {
  dbPassword: SECRET_NAMES.matomoDbPassword,
  salt: SECRET_NAMES.matomoSalt,
  originCertificate: SECRET_NAMES.originCertificate,
  originPrivateKey: SECRET_NAMES.originPrivateKey,
  dbAdminPassword: SECRET_NAMES.mysqlAdminPassword,
  superUserPassword: SECRET_NAMES.superUserPassword,
};

const SHARE_HOST = /^([a-z0-9]{3,24})\.file\.core\.windows\.net$/;
const SHARE_EXPORT = /^\/([a-z0-9]{3,24})\/([a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9])$/;
const RESERVED_FIRST_SEGMENTS = [
  "index.php",
  "matomo.php",
  "piwik.php",
  "js",
  "plugins",
  "misc",
  "config",
  "tmp",
  "core",
  "lang",
  "libs",
  "vendor",
  "node_modules",
];

const hostname = z.string().regex(HOSTNAME, "must be a fully qualified lower-case host name, e.g. 'analytics.example.com'");
const secretName = z.string().regex(/^[0-9A-Za-z-]{1,127}$/, "must be a Key Vault secret name (1-127 letters, digits, '-')");
const dbIdentifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, "must be 1-32 letters, digits or '_', starting with a letter");
const share = z
  .strictObject({
    host: z.string().regex(SHARE_HOST, "must be '<account>.file.core.windows.net'"),
    exportPath: z.string().regex(SHARE_EXPORT, "must be '/<account>/<share>'"),
  })
  .refine((s) => SHARE_HOST.exec(s.host)?.[1] === SHARE_EXPORT.exec(s.exportPath)?.[1], {
    message: "must start with the storage account of host",
    path: ["exportPath"],
  });

const schema = z.strictObject({
  matomoVersion: z
    .string()
    .regex(MATOMO_VERSION, "must be a Matomo 5 release such as '5.10.0' (no 'v', no pre-release)")
    .refine(
      (v) => isMatomoVersionAtLeast(v),
      `must be ${MATOMO_MIN_VERSION} or later: the headless install needs DbHelper::getDefaultCollationForCharset(), first in ${MATOMO_MIN_VERSION}`,
    ),
  publicHostname: hostname,
  trustedHosts: z.array(hostname).default([]),
  keyVaultName: z.string().regex(/^[A-Za-z](?!.*--)[A-Za-z0-9-]{1,22}[A-Za-z0-9]$/, "must be a Key Vault name (3-24 letters, digits, single '-')"),
  secretNames: z
    .strictObject({
      dbPassword: secretName.default(DEFAULT_SECRET_NAMES.dbPassword),
      salt: secretName.default(DEFAULT_SECRET_NAMES.salt),
      originCertificate: secretName.default(DEFAULT_SECRET_NAMES.originCertificate),
      originPrivateKey: secretName.default(DEFAULT_SECRET_NAMES.originPrivateKey),
      dbAdminPassword: secretName.default(DEFAULT_SECRET_NAMES.dbAdminPassword),
      superUserPassword: secretName.default(DEFAULT_SECRET_NAMES.superUserPassword),
    })
    .prefault({}),
  database: z.strictObject({
    host: hostname,
    name: dbIdentifier.default(DB_NAME),
    username: dbIdentifier.default(DB_USERS.matomo),
    adminUsername: dbIdentifier.default(DB_USERS.admin),
    tablesPrefix: z
      .string()
      .regex(/^[a-z0-9_]{0,20}$/, "must be up to 20 lower-case letters, digits or '_'")
      .default("matomo_"),
  }),
  share,
  replicaShares: z.array(share).default([]),
  php: z.strictObject({
    fpmMaxChildren: z.number().int().min(1).max(1024),
    memoryLimitMb: z.number().int().min(128).max(8192).default(512),
    cliMemoryLimitMb: z.number().int().min(256).max(65536).default(2048),
  }),
  superUser: z
    .strictObject({
      login: z.string().regex(MATOMO_LOGIN, "must be 3-100 letters, digits or _ . @ -"),
      email: z.string().regex(EMAIL, "must be an e-mail address"),
    })
    .optional(),
  site: z
    .strictObject({
      name: z
        .string()
        .min(1)
        .max(90)
        // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
        .regex(/^[^\u0000-\u001f\u007f]*$/, "must not contain control characters"),
      url: z.string().regex(HTTPS_URL, "must be an https:// URL"),
    })
    .optional(),
  upgradeWaitMinutes: z.number().int().min(UPGRADE_WAIT_MINUTES.min).max(UPGRADE_WAIT_MINUTES.max).default(UPGRADE_WAIT_MINUTES.default),
  timezone: z.string().refine(isTimezone, "must be an IANA time zone such as 'UTC' or 'Europe/Berlin'").default("UTC"),
  healthPath: z
    .string()
    .regex(/^\/[a-z0-9][a-z0-9._-]{0,62}$/, "must be a single path segment such as '/healthz'")
    .refine((p) => !p.endsWith(".php") && !RESERVED_FIRST_SEGMENTS.includes(p.slice(1)), "must not shadow a Matomo path")
    .default(DEFAULT_HEALTH_PATH),
  originPullCaPem: z
    .string()
    .regex(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n?$/, "must be one PEM certificate")
    .optional(),
});

/** Thrown when settings are invalid; lists every problem with its field and fix. */
export class MatomoSettingsError extends Error {
  constructor(
    readonly role: MatomoRole,
    readonly problems: readonly string[],
  ) {
    super(`Invalid Matomo ${role} cloud-init settings:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "MatomoSettingsError";
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Validates and applies defaults; throws `MatomoSettingsError` listing every problem. */
export function resolveSettings(input: MatomoHostSettings, role: MatomoRole): ResolvedSettings {
  const problems: string[] = [];
  if (JSON.stringify(input ?? {}).includes("${")) {
    problems.push("settings contain a Terraform token ('${...}'): pass plain strings known at synth time");
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join(".") || "(settings)";
      problems.push(`${field}: ${issue.message} (got ${describe(valueAt(input, issue.path))})`);
    }
    throw new MatomoSettingsError(role, problems);
  }
  const s = parsed.data;
  if (role === "archiver") {
    if (!s.superUser) problems.push("superUser: required on the archiver for the first install (config: matomo.superUserLogin/superUserEmail)");
    if (!s.site) problems.push("site: required on the archiver for the first install (config: matomo.siteName/siteUrl)");
  }
  const exports = [s.share, ...s.replicaShares].map((x) => x.exportPath);
  if (new Set(exports).size !== exports.length) {
    problems.push(`replicaShares: must differ from share and from each other (got ${describe(exports)})`);
  }
  if (problems.length > 0) throw new MatomoSettingsError(role, problems);

  return {
    role,
    matomoVersion: s.matomoVersion,
    publicHostname: s.publicHostname,
    trustedHosts: [...new Set([s.publicHostname, ...s.trustedHosts])],
    keyVaultName: s.keyVaultName,
    secretNames: s.secretNames,
    database: s.database,
    share: s.share,
    // Only the archiver copies to the other region; frontends mount their own share only.
    replicaShares: role === "archiver" ? s.replicaShares : [],
    php: s.php,
    superUser: s.superUser,
    site: s.site,
    upgradeWaitMinutes: s.upgradeWaitMinutes,
    timezone: s.timezone,
    healthPath: s.healthPath,
    originPullCaPem: s.originPullCaPem,
  };
}
