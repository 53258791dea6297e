import { z } from "zod";
import { KNOWN_VM_SKUS, SIZE_PRESETS } from "./presets";
import { regionProblem } from "./azure-regions";
import { connectionBudget, largestFittingMaxInstances, MYSQL_MAX_CONNECTIONS_SOURCE, MYSQL_SKUS } from "./capacity";
import { cidrsOverlap, parseCidr } from "./cidr";
import cloudflarePlans from "./cloudflare-plans.json";
import { MATOMO_MIN_VERSION, UPGRADE_WAIT_MINUTES, isMatomoVersionAtLeast } from "../modules/cloud-init/constants";
import { EMAIL, HOSTNAME, HTTPS_URL, MATOMO_LOGIN, MATOMO_VERSION, isTimezone } from "../modules/common/formats";

/**
 * The environment config schema. Every field a fork may edit is declared here,
 * with its default and constraint; `docs/config-reference.md` is generated from
 * these descriptions and tested against them.
 */

const AZURE_REGION = /^[a-z]+[a-z0-9]*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CF_ID = /^[0-9a-f]{32}$/;
const SSH_PUBLIC_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]{40,}={0,2}( \S+)?$/;
/** Admin user names Azure refuses on Linux VMs (Azure Compute documentation on admin user names). */
const RESERVED_LINUX_ADMIN_NAMES = [
  "1",
  "123",
  "a",
  "actuser",
  "adm",
  "admin",
  "admin1",
  "admin2",
  "administrator",
  "aspnet",
  "backup",
  "console",
  "david",
  "guest",
  "john",
  "owner",
  "root",
  "server",
  "sql",
  "support",
  "support_388945a0",
  "sys",
  "test",
  "test1",
  "test2",
  "test3",
  "user",
  "user1",
  "user2",
  "user3",
  "user4",
  "user5",
];

/** Cloudflare health-check regions accepted by the provider (Enterprise adds ALL_REGIONS). */
export const CLOUDFLARE_CHECK_REGIONS = ["WNAM", "ENAM", "WEU", "EEU", "NSAM", "SSAM", "OC", "ME", "NAF", "SAF", "SAS", "SEAS", "NEAS"] as const;

/** Cloudflare plan tiers and the load-balancing limits the blueprint enforces for each (shared with the report). */
const { "//": _source, ...planLimits } = cloudflarePlans;
export const CLOUDFLARE_PLAN_LIMITS: Readonly<
  Record<"free" | "pro" | "business" | "enterprise", { readonly minMonitorIntervalSeconds: number; readonly steering: readonly string[] }>
> = planLimits;
export type CloudflarePlan = keyof typeof CLOUDFLARE_PLAN_LIMITS;
/** Steering policies that need the Traffic Steering add-on below Enterprise. */
export const TRAFFIC_STEERING_POLICIES = ["dynamic_latency", "geo", "proximity"] as const;

const regionSchema = z.strictObject({
  location: z
    .string()
    .regex(AZURE_REGION, "must be an Azure region name in lower case without spaces, e.g. 'westeurope'")
    .describe("Azure region name, e.g. `westeurope`."),
  shortName: z
    .string()
    .regex(/^[a-z]{2,4}$/, "must be 2-4 lower-case letters, e.g. 'weu'; it is part of resource names")
    .describe("2-4 letter code used in resource names and stack IDs (`app-<shortName>`)."),
  addressSpace: z
    .string()
    .refine((v) => {
      const c = parseCidr(v);
      return c !== undefined && c.prefix >= 16 && c.prefix <= 22;
    }, "must be an IPv4 network in CIDR form with a prefix between /16 and /22, e.g. '10.20.0.0/20'")
    .describe("VNet address space, /16 to /22; subnets are carved from it (frontends 1/4, archiver, MySQL and private endpoints 1/16 each)."),
  zones: z
    .array(z.enum(["1", "2", "3"]))
    .min(2, "needs at least two availability zones for zone-redundant frontends; use a region with zones")
    .refine((z) => new Set(z).size === z.length, "lists a zone twice; list each zone once")
    .default(["1", "2", "3"])
    .describe("Availability zones the frontends spread over (at least two)."),
  cloudflareCheckRegions: z.array(z.enum(CLOUDFLARE_CHECK_REGIONS)).min(1).describe('Cloudflare health-check regions near this Azure region, e.g. `["WEU"]`.'),
  latitude: z.number().min(-90).max(90).optional().describe("Latitude of the region, for `proximity` steering."),
  longitude: z.number().min(-180).max(180).optional().describe("Longitude of the region, for `proximity` steering."),
});

const mysqlSchema = z
  .strictObject({
    version: z.enum(["8.0.21", "8.4"]).default("8.0.21").describe("MySQL server version."),
    skuName: z
      .string()
      .refine(
        (v) => v in MYSQL_SKUS,
        "must be a General Purpose (GP_Standard_D<n>ds_v4 / ads_v5) or Business Critical (MO_Standard_E<n>ds_v4 / ds_v5 / ads_v5) size from config/capacity.ts: zone-redundant HA and read replicas are not available on Burstable",
      )
      .optional()
      .describe("Overrides the size preset's SKU. General Purpose or Business Critical only. @default - from `size`"),
    storageGiB: z
      .number()
      .int()
      .min(20)
      .max(16384)
      .optional()
      .describe(
        "Initial storage in GiB. Auto-grow then owns the size (Terraform ignores later changes; grow it in Azure, never shrink). @default - from `size`",
      ),
    iops: z.number().int().min(360).max(48000).optional().describe("Provisioned IOPS. @default - from `size`"),
    backupRetentionDays: z
      .number()
      .int()
      .min(30, "must be at least 30 days (policy BP-MYSQL-1); Azure allows up to 35")
      .max(35, "must be at most 35 days (Azure's limit)")
      .default(35)
      .describe("Backup retention, 30-35 days (policy BP-MYSQL-1)."),
    geoRedundantBackup: z
      .literal(
        true,
        "must be true: geo-redundant backup is the last copy if the region and the replica are lost (policy BP-MYSQL-1), and Azure sets it only at creation",
      )
      .default(true)
      .describe("Geo-redundant backups (create-time only); the blueprint requires them."),
    primaryZone: z.enum(["1", "2", "3"]).default("1").describe("Zone of the primary server."),
    standbyZone: z.enum(["1", "2", "3"]).default("2").describe("Zone of the zone-redundant HA standby; must differ from `primaryZone`."),
    readReplica: z.boolean().default(true).describe("A cross-region read replica of the source server, in the other region."),
    source: z
      .enum(["primary", "secondary"])
      .default("primary")
      .describe(
        "Region whose server is the writable source. Changing it promotes the replica there (region failover; irreversible). See docs/runbooks/region-failover.md.",
      ),
    generation: z
      .strictObject({
        primary: z.number().int().min(1).default(1).describe("Generation of the primary region's server."),
        secondary: z.number().int().min(1).default(1).describe("Generation of the secondary region's server."),
      })
      .prefault({})
      .describe(
        "Server generation per region. Raise it to build a new server there (a new replica of the source); Terraform forgets the previous one without deleting it.",
      ),
    promoteReplica: z
      .never('was replaced by mysql.source: set source: "secondary" and readReplica: false to promote the replica (docs/runbooks/region-failover.md)')
      .optional()
      .describe("Removed: use `source`."),
    maintenanceWindow: z
      .strictObject({
        dayOfWeek: z.number().int().min(0).max(6).default(0).describe("0 = Sunday."),
        startHour: z.number().int().min(0).max(23).default(2).describe("Hour (UTC) the window starts."),
        startMinute: z.number().int().min(0).max(59).default(0).describe("Minute the window starts."),
      })
      .prefault({})
      .describe("Custom maintenance window (UTC)."),
    sqlGenerateInvisiblePrimaryKey: z
      .enum(["ON", "OFF"])
      .default("OFF")
      .describe("Server parameter `sql_generate_invisible_primary_key`; see docs/adr/0004-mysql-parameters.md."),
  })
  .superRefine((m, ctx) => {
    // Servers come in turn: primary 1 (source), secondary 1 (its replica), primary 2 (replica of the promoted
    // secondary 1), secondary 2, ... A replica must be newer than its source: a server that was a source
    // (or was promoted) can never replicate again.
    if (!m.readReplica) return;
    const other = m.source === "primary" ? "secondary" : "primary";
    const least = m.source === "primary" ? m.generation.primary : m.generation.secondary + 1;
    if (m.generation[other] < least) {
      ctx.addIssue({
        code: "custom",
        path: ["generation", other],
        input: m.generation[other],
        message: `the ${other} region's server ${m.generation[other]} was a source before and cannot become a replica of the ${m.source} server ${m.generation[m.source]}: set generation.${other} to at least ${least} to build a new replica (docs/runbooks/region-failover.md)`,
      });
    }
  })
  .refine((m) => m.primaryZone !== m.standbyZone, {
    message: "standbyZone must differ from primaryZone, otherwise the HA is not zone-redundant; pick another zone",
    path: ["standbyZone"],
  });

/** Frontends per region: 2 is the HA floor (one per zone), 100 the ceiling the MySQL connection budget assumes (checked across fields below). */
const FRONTENDS_PER_REGION = { min: 2, max: 100 } as const;

const frontendsSchema = z
  .strictObject({
    vmSku: z.string().optional().describe("Overrides the preset's frontend VM SKU. @default - from `size`"),
    primaryMinInstances: z
      .number()
      .int()
      .optional()
      .describe("Minimum instances in the primary region (>= 2). @default - from `size`")
      .meta({ minimum: FRONTENDS_PER_REGION.min }),
    secondaryMinInstances: z
      .number()
      .int()
      .optional()
      .describe("Minimum instances in the secondary region (>= 2). @default - from `size`")
      .meta({ minimum: FRONTENDS_PER_REGION.min }),
    maxInstances: z
      .number()
      .int()
      .optional()
      .describe("Autoscale ceiling per region. @default - from `size`")
      .meta({ minimum: FRONTENDS_PER_REGION.min, maximum: FRONTENDS_PER_REGION.max }),
    scaleOutCpuPercent: z.number().int().min(10).max(95).default(70).describe("Average CPU that adds instances."),
    scaleInCpuPercent: z.number().int().min(5).max(90).default(30).describe("Average CPU that removes instances; below `scaleOutCpuPercent`."),
  })
  .prefault({});

const cloudflareSchema = z.strictObject({
  accountId: z
    .string()
    .regex(CF_ID, "must be the 32-character hex Cloudflare account ID")
    .describe("Cloudflare account ID (pools and monitors are account-level)."),
  zoneId: z.string().regex(CF_ID, "must be the 32-character hex Cloudflare zone ID").describe("Cloudflare zone ID of `zoneName`."),
  zoneName: z.string().regex(HOSTNAME, "must be a DNS zone name in lower case, e.g. 'example.com'").describe("The Cloudflare zone, e.g. `example.com`."),
  plan: z.enum(["free", "pro", "business", "enterprise"]).default("pro").describe("Plan tier of the zone; bounds monitor interval and steering."),
  trafficSteering: z.boolean().default(false).describe("Whether the account has the Traffic Steering add-on (latency/geo/proximity steering)."),
  steeringPolicy: z
    .enum(["failover", "random", "dynamic_latency", "geo", "proximity"])
    .default("failover")
    .describe("`failover` = active-passive in region order; `random` = weighted active-active."),
  monitorIntervalSeconds: z.number().int().min(10).max(3600).optional().describe("Health-check interval. @default - the plan's floor"),
  sessionAffinity: z.enum(["none", "cookie"]).default("none").describe("Matomo keeps sessions in MySQL, so affinity is off by default."),
  loginRateLimit: z
    .boolean()
    .default(true)
    .describe(
      "Rate-limit Matomo's login form at the edge: requests with `module=Login` in the query string, per client IP (not on Free). A `module=Login` sent in a POST body is not counted, as no plan's rate limiting rules can read the body without Enterprise Advanced Rate Limiting; Matomo's brute-force detection still limits failed logins per IP.",
    ),
});

const backendSchema = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("local") }),
    z.strictObject({
      type: z.literal("azurerm"),
      resourceGroupName: z.string().min(1).describe("Resource group of the state storage account (scripts/bootstrap-state.sh)."),
      storageAccountName: z
        .string()
        .regex(/^[a-z0-9]{3,24}$/, "must be 3-24 lower-case letters and digits")
        .describe("State storage account."),
      containerName: z
        .string()
        .regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, "must be a valid blob container name")
        .describe("Blob container; keys are `<environment>/<stack>.tfstate`."),
    }),
  ])
  .default({ type: "local" })
  .describe("Terraform state: `local` (offline default) or `azurerm` (Azure Storage, locking by blob lease).");

export const configSchema = z
  .strictObject({
    org: z
      .string()
      .regex(/^[a-z][a-z0-9]{1,5}$/, "must be 2-6 lower-case letters/digits starting with a letter, e.g. 'ctso'")
      .describe("Organisation prefix in every resource name."),
    name: z
      .string()
      .regex(/^[a-z][a-z0-9]{1,7}$/, "must be 2-8 lower-case letters/digits starting with a letter, e.g. 'matomo'")
      .describe("Workload name in resource names."),
    environment: z
      .string()
      .regex(/^[a-z][a-z0-9]{1,4}$/, "must be 2-5 lower-case letters/digits, e.g. 'prod'")
      .describe("Environment name in resource names and state keys."),
    azure: z.strictObject({
      subscriptionId: z.string().regex(GUID, "must be a lower-case GUID").describe("Subscription to deploy into (not a secret)."),
      tenantId: z.string().regex(GUID, "must be a lower-case GUID").describe("Entra ID tenant of the subscription."),
      deployerObjectId: z
        .string()
        .regex(GUID, "must be a lower-case GUID")
        .optional()
        .describe(
          "Object ID of the principal that deploys (writes Key Vault secrets). @default - the identity running Terraform; set it when plans and deploys use different identities, or plans show the role assignment replaced",
        ),
    }),
    regions: z.strictObject({ primary: regionSchema, secondary: regionSchema }),
    hostname: z
      .string()
      .regex(HOSTNAME, "must be a fully qualified lower-case host name, e.g. 'analytics.example.com'")
      .describe("Public host name of Matomo (proxied by Cloudflare)."),
    cloudflare: cloudflareSchema,
    matomo: z.strictObject({
      version: z
        .string()
        .regex(MATOMO_VERSION, "must be a Matomo 5 release like '5.10.0' (no 'v', no pre-release suffix); the VM provisioning supports Matomo 5 only")
        .refine(
          (v) => isMatomoVersionAtLeast(v),
          `must be ${MATOMO_MIN_VERSION} or later: the headless install calls DbHelper::getDefaultCollationForCharset(), first shipped in Matomo ${MATOMO_MIN_VERSION} (https://github.com/matomo-org/matomo/blob/${MATOMO_MIN_VERSION}/core/DbHelper.php); pin ${MATOMO_MIN_VERSION} or later`,
        )
        .describe("Pinned Matomo release from builds.matomo.org."),
      superUserLogin: z
        .string()
        .regex(MATOMO_LOGIN, "must be 3-100 letters, digits or _ . @ - (a Matomo login), e.g. 'superuser'")
        .default("superuser")
        .describe("Login of the first Super User (its password is generated into Key Vault)."),
      superUserEmail: z
        .string()
        .regex(EMAIL, "must be an e-mail address such as 'ops@example.com', without spaces, quotes or backslashes")
        .describe("E-mail of the first Super User."),
      siteName: z.string().min(1).max(90).default("Website").describe("Name of the first tracked site."),
      siteUrl: z
        .string()
        .regex(HTTPS_URL, "must be an https:// URL without spaces, quotes, '<', '>' or backslashes, e.g. 'https://www.example.com'")
        .describe("URL of the first tracked site."),
      timezone: z
        .string()
        .refine(isTimezone, "must be an IANA time zone such as 'UTC' or 'Europe/Berlin' (https://www.iana.org/time-zones)")
        .default("UTC")
        .describe("IANA time zone of the first site, e.g. `Europe/Berlin`."),
      extraTrustedHosts: z
        .array(z.string().regex(HOSTNAME, "must be a fully qualified lower-case host name, e.g. 'stats.example.com'"))
        .default([])
        .describe("Additional `trusted_hosts[]`."),
    }),
    size: z.enum(["small", "medium", "large"]).default("small").describe("Size preset (see config/presets.ts)."),
    frontends: frontendsSchema,
    archiver: z
      .strictObject({
        vmSku: z.string().optional().describe("Overrides the preset's archiver VM SKU (one of config/presets.ts KNOWN_VM_SKUS). @default - from `size`"),
        upgradeWaitMinutes: z
          .number()
          .int()
          .min(UPGRADE_WAIT_MINUTES.min, `must be at least ${UPGRADE_WAIT_MINUTES.min}: a rolling upgrade of the scale sets takes longer than that`)
          .max(
            UPGRADE_WAIT_MINUTES.max,
            `must be at most ${UPGRADE_WAIT_MINUTES.max} (12 h): past that, finish or fix the rollout by hand (docs/runbooks/upgrade-matomo.md)`,
          )
          .default(UPGRADE_WAIT_MINUTES.default)
          .describe(
            "On a new `matomo.version`: minutes the archiver waits, before migrating the schema, for every live frontend to run the new code (Matomo cannot serve older code on a newer schema). Then it stops and names the frontends still on older code.",
          ),
      })
      .prefault({})
      .describe("The archiver VM (hourly core:archive, installs and upgrades)."),
    mysql: mysqlSchema.prefault({}),
    compute: z
      .strictObject({
        encryptionAtHost: z
          .boolean()
          .default(true)
          .describe(
            "Encrypt VM temp disks and caches at host; needs the subscription feature Microsoft.Compute/EncryptionAtHost (`npm run preflight` checks it).",
          ),
        maximumSurge: z
          .boolean()
          .default(false)
          .describe(
            "Rolling upgrades create the new instances before removing old ones (capacity never dips). Needs the preview feature Microsoft.Compute/MaxSurgeRollingUpgrade registered on the subscription (https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-maxsurge); `npm run preflight` checks it.",
          ),
      })
      .prefault({}),
    admin: z.strictObject({
      username: z
        .string()
        .regex(/^[a-z_][a-z0-9_-]{2,31}$/, "must be a Linux user name")
        .refine((u) => !RESERVED_LINUX_ADMIN_NAMES.includes(u), "is a name Azure refuses for the admin user; choose another")
        .default("matomoadmin")
        .describe("Linux admin user on every VM (key-only login)."),
      sshPublicKey: z
        .string()
        .regex(SSH_PUBLIC_KEY, "must be one OpenSSH public key line (ssh-ed25519/ssh-rsa/ecdsa); passwords are never used")
        .describe("SSH public key for break-glass access from inside the VNet."),
    }),
    keyVault: z
      .strictObject({
        allowedCidrs: z
          .array(z.string().refine((v) => parseCidr(v) !== undefined, "must be an IPv4 CIDR such as '203.0.113.0/28'"))
          .default([])
          .describe(
            "Public CIDRs of the CI runners that write secrets. The vault otherwise admits only the VM subnets, so a deploying runner needs its fixed egress range here.",
          ),
        runnerSubnetIds: z
          .array(
            z
              .string()
              .regex(
                /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/,
                "must be an Azure subnet resource ID, /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet>",
              ),
          )
          .default([])
          .describe(
            "Subnets of self-hosted CI runners (with the Microsoft.KeyVault service endpoint) admitted to the vault, instead of or besides `allowedCidrs`.",
          ),
      })
      .prefault({}),
    alerts: z.strictObject({
      email: z
        .string()
        .regex(EMAIL, "must be an e-mail address such as 'ops@example.com', without spaces, quotes or backslashes")
        .describe("Where alerts go (Azure action group and Cloudflare notifications)."),
      mysqlCpuPercent: z.number().int().min(50).max(100).default(80).describe("MySQL average CPU over 15 min that alerts."),
      mysqlStoragePercent: z
        .number()
        .int()
        .min(50)
        .max(95)
        .default(85)
        .describe("MySQL storage used that alerts (auto-grow is on, so this warns about cost and growth)."),
      mysqlConnectionsPercent: z.number().int().min(50).max(100).default(80).describe("Active connections, as % of max_connections, that alert."),
      replicationLagSeconds: z
        .number()
        .int()
        .min(30)
        .max(3600)
        .default(300)
        .describe("Replica lag that alerts: it is the data lost if the primary region is lost now."),
      frontendCpuPercent: z
        .number()
        .int()
        .min(50)
        .max(100)
        .default(85)
        .describe("Scale-set average CPU over 15 min that alerts (autoscale should have acted before)."),
      archiveStaleHours: z
        .number()
        .int()
        .min(2, "must be at least 2: archiving runs hourly, one missed run is not yet an incident")
        .max(6, "must be at most 6 (Azure log alerts look back at most PT6H below a day)")
        .default(3)
        .describe("Hours without a successful hourly core:archive before alerting."),
    }),
    secretVersions: z
      .strictObject({
        mysqlAdminPassword: z
          .number()
          .int()
          .min(1)
          .default(1)
          .describe("Raise by one to generate and write a new MySQL admin password (docs/runbooks/rotate-secrets.md)."),
        matomoDbPassword: z
          .number()
          .int()
          .min(1)
          .default(1)
          .describe("Raise by one to generate a new Matomo database password (docs/runbooks/rotate-secrets.md)."),
        superUserPassword: z.number().int().min(1).default(1).describe("Raise by one to write a new first-install superuser password to Key Vault."),
      })
      .prefault({})
      .describe(
        "Versions of the generated secrets. Secrets are ephemeral and written only to write-only arguments, so state never holds them; a new version is how one is rotated. The Matomo salt has none: it is never rotated.",
      ),
    tags: z
      .record(z.string().regex(/^[^<>%&\\?/]{1,512}$/, "tag names may not contain < > % & \\ ? /"), z.string().max(256))
      .default({})
      .describe("Tags on every Azure resource (plus `environment`, `workload`, `managed-by`)."),
    backend: backendSchema,
  })
  // `when`: run even when other fields failed, so every problem is reported in one go.
  // Fields may then be missing or mistyped, hence the guards below.
  .superRefine((input, ctx) => crossFieldChecks(input as unknown as Unchecked<BlueprintConfigInput>, ctx), { when: () => true });

/**
 * The config as the cross-field rules may see it: every field optional, and
 * every leaf of unknown type (other fields may have failed validation).
 */
type Unchecked<T> = T extends readonly unknown[] ? unknown : T extends object ? { readonly [K in keyof T]?: Unchecked<NonNullable<T[K]>> } : unknown;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const isRegion = (r: unknown): r is { location: string; shortName: string; addressSpace: string; zones: string[]; latitude?: number; longitude?: number } =>
  !!r &&
  typeof r === "object" &&
  typeof (r as { location?: unknown }).location === "string" &&
  typeof (r as { shortName?: unknown }).shortName === "string" &&
  Array.isArray((r as { zones?: unknown }).zones);

/** Rules across fields; each message names the field, and the value is reported with it. */
function crossFieldChecks(c: Unchecked<BlueprintConfigInput>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string, input: unknown) => ctx.addIssue({ code: "custom", path, message, input });
  const primary = c.regions?.primary;
  const secondary = c.regions?.secondary;
  const regionsOk = isRegion(primary) && isRegion(secondary);
  for (const [key, region] of [
    ["primary", primary],
    ["secondary", secondary],
  ] as const) {
    const problem = isRegion(region) && AZURE_REGION.test(region.location) ? regionProblem(region.location) : undefined;
    if (problem && isRegion(region)) issue(["regions", key, "location"], problem, region.location);
  }
  if (regionsOk) {
    if (primary.location === secondary.location) {
      issue(
        ["regions", "secondary", "location"],
        "must differ from regions.primary.location; a second region in the same place does not survive a regional outage",
        secondary.location,
      );
    }
    if (primary.shortName === secondary.shortName) {
      issue(
        ["regions", "secondary", "shortName"],
        "must differ from regions.primary.shortName; it names the regional stacks and resources",
        secondary.shortName,
      );
    }
    const a = parseCidr(primary.addressSpace);
    const b = parseCidr(secondary.addressSpace);
    if (a && b && cidrsOverlap(a, b)) {
      issue(
        ["regions", "secondary", "addressSpace"],
        `overlaps regions.primary.addressSpace (${primary.addressSpace}); peered VNets need disjoint ranges`,
        secondary.addressSpace,
      );
    }
  }

  const cf = c.cloudflare ?? {};
  const hostname = str(c.hostname);
  const zoneName = str(cf.zoneName);
  if (hostname && zoneName && hostname !== zoneName && !hostname.endsWith(`.${zoneName}`)) {
    issue(
      ["hostname"],
      `must be inside the Cloudflare zone '${zoneName}' (e.g. analytics.${zoneName}), or set cloudflare.zoneName to the zone that holds it`,
      hostname,
    );
  }
  if (str(cf.accountId) && cf.accountId === cf.zoneId) {
    issue(
      ["cloudflare", "zoneId"],
      "equals cloudflare.accountId: the zone ID (Overview page of the zone, API section) differs from the account ID; copy both again from the Cloudflare dashboard",
      cf.zoneId,
    );
  }
  const planName = str(cf.plan) as CloudflarePlan | undefined;
  const plan = planName ? CLOUDFLARE_PLAN_LIMITS[planName] : undefined;
  const policy = str(cf.steeringPolicy);
  if (plan && policy) {
    const allowed: readonly string[] = plan.steering;
    const viaAddon = cf.trafficSteering === true && (TRAFFIC_STEERING_POLICIES as readonly string[]).includes(policy) && planName !== "free";
    if (!allowed.includes(policy) && !viaAddon) {
      issue(
        ["cloudflare", "steeringPolicy"],
        `is not available on the '${planName}' plan (allowed: ${allowed.join(", ")}); pick one of those, or set cloudflare.trafficSteering = true if the account has the Traffic Steering add-on`,
        policy,
      );
    }
    const interval = int(cf.monitorIntervalSeconds);
    if (interval !== undefined && interval < plan.minMonitorIntervalSeconds) {
      issue(
        ["cloudflare", "monitorIntervalSeconds"],
        `is below the '${planName}' plan's minimum of ${plan.minMonitorIntervalSeconds} s; raise it or upgrade the plan`,
        interval,
      );
    }
  }
  if (policy === "proximity" && regionsOk && [primary, secondary].some((r) => r.latitude === undefined || r.longitude === undefined)) {
    issue(["cloudflare", "steeringPolicy"], "'proximity' needs regions.*.latitude and regions.*.longitude; add them or choose another policy", policy);
  }

  const preset = SIZE_PRESETS[str(c.size) as keyof typeof SIZE_PRESETS];
  const fe: NonNullable<typeof c.frontends> = c.frontends ?? {};
  if (preset) {
    const sku = str(fe.vmSku) ?? preset.frontendVmSku;
    if (!(sku in KNOWN_VM_SKUS)) {
      issue(
        ["frontends", "vmSku"],
        `is not in the blueprint's VM table (${Object.keys(KNOWN_VM_SKUS).join(", ")}); PHP-FPM sizing needs its memory: pick one or add it to config/presets.ts`,
        sku,
      );
    }
    const archiverSku = str(c.archiver?.vmSku);
    if (archiverSku !== undefined && !(archiverSku in KNOWN_VM_SKUS)) {
      issue(
        ["archiver", "vmSku"],
        `is not in the blueprint's VM table (${Object.keys(KNOWN_VM_SKUS).join(", ")}); pick one or add it to config/presets.ts`,
        archiverSku,
      );
    }
    const pMin = int(fe.primaryMinInstances) ?? preset.primaryMinInstances;
    const sMin = int(fe.secondaryMinInstances) ?? preset.secondaryMinInstances;
    const max = int(fe.maxInstances) ?? preset.maxInstances;
    if (pMin < FRONTENDS_PER_REGION.min)
      issue(
        ["frontends", "primaryMinInstances"],
        `must be at least ${FRONTENDS_PER_REGION.min}: one instance per zone is the HA floor (a single VM has no zone redundancy)`,
        pMin,
      );
    if (sMin < FRONTENDS_PER_REGION.min)
      issue(
        ["frontends", "secondaryMinInstances"],
        `must be at least ${FRONTENDS_PER_REGION.min} so the secondary region can take over without a single point of failure`,
        sMin,
      );
    if (max < Math.max(pMin, sMin))
      issue(["frontends", "maxInstances"], `must be >= the minimum instances (${Math.max(pMin, sMin)}); autoscale bounds are inverted`, max);
    if (max > FRONTENDS_PER_REGION.max)
      issue(["frontends", "maxInstances"], `must be at most ${FRONTENDS_PER_REGION.max} per region (the blueprint's MySQL connection budget assumes it)`, max);

    // Every PHP worker of every frontend both regions can run may hold a connection to the one source server,
    // and Azure refuses a max_connections above the size's maximum.
    const mysqlSku = str(c.mysql?.skuName) ?? preset.mysqlSkuName;
    const limits = MYSQL_SKUS[mysqlSku];
    const surge = c.compute?.maximumSurge === true;
    if (limits && sku in KNOWN_VM_SKUS && max >= 1 && max <= FRONTENDS_PER_REGION.max) {
      const budget = connectionBudget(sku, max, surge);
      if (budget.required > limits.maxConnections) {
        const fits = largestFittingMaxInstances(sku, surge, limits.maxConnections, FRONTENDS_PER_REGION.max);
        const bigger = Object.entries(MYSQL_SKUS).find(
          ([n, l]) => l.tier === limits.tier && n.endsWith(mysqlSku.replace(/^[A-Z]+_Standard_[A-Z]\d+/, "")) && l.maxConnections >= budget.required,
        )?.[0];
        issue(
          ["frontends", "maxInstances"],
          `needs ${budget.required} MySQL connections (2 regions x ${budget.maxFrontendsDuringRollout} frontends${surge ? " incl. rollout surge" : ""} x ${budget.connectionsPerFrontend} per ${sku} frontend, + archiver and headroom), above the ${limits.maxConnections} that Azure allows on ${mysqlSku} (${MYSQL_MAX_CONNECTIONS_SOURCE}); ` +
            `lower frontends.maxInstances to ${fits} or less${bigger ? `, or set mysql.skuName to ${bigger}` : ""}, or choose a smaller frontends.vmSku`,
          max,
        );
      }
    }
  }
  const scaleIn = int(fe.scaleInCpuPercent);
  const scaleOut = int(fe.scaleOutCpuPercent);
  if (scaleIn !== undefined && scaleOut !== undefined && scaleIn >= scaleOut) {
    issue(["frontends", "scaleInCpuPercent"], `must be below scaleOutCpuPercent (${scaleOut}), otherwise autoscale flaps`, scaleIn);
  }
  const mysql: NonNullable<typeof c.mysql> = c.mysql ?? {};
  const [primaryZone, standbyZone] = [str(mysql.primaryZone), str(mysql.standbyZone)];
  if (isRegion(primary) && primaryZone && standbyZone) {
    if (!primary.zones.includes(primaryZone) || !primary.zones.includes(standbyZone)) {
      issue(
        ["mysql", "standbyZone"],
        `primaryZone ${primaryZone} and standbyZone ${standbyZone} must both be in regions.primary.zones (${primary.zones.join(", ")})`,
        standbyZone,
      );
    }
  }

  // A remote deploy runs Terraform on a CI runner, which writes and refreshes the vault's secrets through its
  // firewall: with no allowed address or subnet every apply fails with 403 ForbiddenByFirewall
  // (https://github.com/hashicorp/terraform-provider-azurerm/issues/20742).
  const kvAccess: NonNullable<typeof c.keyVault> = c.keyVault ?? {};
  const hasRunnerPath = [kvAccess.allowedCidrs, kvAccess.runnerSubnetIds].some((a) => Array.isArray(a) && a.length > 0);
  if (c.backend?.type === "azurerm" && !hasRunnerPath) {
    issue(
      ["keyVault", "allowedCidrs"],
      "is empty while backend.type is 'azurerm' (deployed from CI): the runner could not reach the vault's data plane (403 ForbiddenByFirewall, https://github.com/hashicorp/terraform-provider-azurerm/issues/20742); add the runners' fixed egress CIDRs, or keyVault.runnerSubnetIds for self-hosted runners in a VNet",
      kvAccess.allowedCidrs ?? [],
    );
  }

  // Azure global-name limits, checked on the composed names.
  const [org, name, env] = [str(c.org), str(c.name), str(c.environment)];
  if (org && name && env) {
    const kv = `${org}-${name}-${env}-kv`;
    if (kv.length > 24) issue(["name"], `makes the Key Vault name '${kv}' ${kv.length} characters long (max 24); shorten org, name or environment`, name);
    for (const r of [primary, secondary].filter(isRegion)) {
      const sa = `${org}${name}${env}${r.shortName}nfs`;
      if (sa.length > 24)
        issue(
          ["name"],
          `makes the storage account name '${sa}' ${sa.length} characters long (max 24); shorten org, name, environment or regions.*.shortName`,
          name,
        );
    }
  }
}

/** The config as written in `config/environments/*.ts` (defaults optional). */
export type BlueprintConfigInput = z.input<typeof configSchema>;
/** The validated config with every default applied. */
export type BlueprintConfig = z.output<typeof configSchema>;
export type RegionConfig = BlueprintConfig["regions"]["primary"];
