import * as path from "path";
import * as fs from "fs";
import { Testing } from "cdktf";
import { CoreStack } from "../../stacks/core-stack";
import { exampleConfig, resourcesOf, synthAll, byPath, TfJson, exampleSynth, promotedConfig } from "../helpers";
import { ALL_RULES } from "../../policies/rules";

let rebuilt: ReturnType<typeof synthAll> | undefined;
const rebuiltReplica = () =>
  (rebuilt ??= synthAll(
    exampleConfig((c) => {
      c.mysql = { source: "secondary", readReplica: true, generation: { primary: 2 } };
      c.secretVersions = { matomoDbPassword: 2 };
    }),
  ));

let core: TfJson;
let data: TfJson;

beforeAll(() => {
  const { stacks } = exampleSynth();
  core = stacks.core;
  data = stacks.data;
});

describe("core stack", () => {
  test("one resource group and VNet per region with the configured address space", () => {
    expect(byPath(core, "azurerm_virtual_network", "Network-primary/Vnet")).toMatchObject({ address_space: ["10.20.0.0/20"], location: "westeurope" });
    expect(byPath(core, "azurerm_virtual_network", "Network-secondary/Vnet")).toMatchObject({ address_space: ["10.30.0.0/20"], location: "northeurope" });
    expect(Object.keys(resourcesOf(core, "azurerm_resource_group"))).toHaveLength(3);
  });

  test("four subnets per region, each with its own NSG that denies the Internet", () => {
    const subnets = Object.values(resourcesOf(core, "azurerm_subnet"));
    expect(subnets.map((s: any) => s.name).sort()).toEqual([
      "archiver",
      "archiver",
      "frontends",
      "frontends",
      "mysql",
      "mysql",
      "private-endpoints",
      "private-endpoints",
    ]);
    expect(subnets.every((s: any) => s.default_outbound_access_enabled === false)).toBe(true);
    expect(Object.keys(resourcesOf(core, "azurerm_subnet_network_security_group_association"))).toHaveLength(8);
    const denies = Object.values(resourcesOf(core, "azurerm_network_security_rule")).filter((r: any) => r.name === "deny-internet-inbound");
    expect(denies).toHaveLength(8);
    expect(denies.every((r: any) => r.access === "Deny" && r.source_address_prefix === "Internet" && r.direction === "Inbound")).toBe(true);
  });

  test("only the MySQL subnet is delegated, and frontends/archiver reach Key Vault by service endpoint", () => {
    const primaryMysql = byPath(core, "azurerm_subnet", "Network-primary/Subnet-mysql/Resource");
    expect(primaryMysql.delegation[0].service_delegation.name).toBe("Microsoft.DBforMySQL/flexibleServers");
    expect(primaryMysql.address_prefixes).toEqual(["10.20.5.0/24"]);
    expect(byPath(core, "azurerm_subnet", "Network-primary/Subnet-frontends/Resource")).toMatchObject({
      address_prefixes: ["10.20.0.0/22"],
      service_endpoints: ["Microsoft.KeyVault"],
    });
  });

  test("global peering both ways", () => {
    const peerings = Object.values(resourcesOf(core, "azurerm_virtual_network_peering"));
    expect(peerings).toHaveLength(2);
    expect(peerings.every((p: any) => p.allow_virtual_network_access === true && p.allow_forwarded_traffic === false)).toBe(true);
  });

  test("private DNS zones for MySQL and Files, each linked to both VNets", () => {
    const zones = Object.values(resourcesOf(core, "azurerm_private_dns_zone"))
      .map((z: any) => z.name)
      .sort();
    expect(zones).toEqual(["ctso-matomo-ex.private.mysql.database.azure.com", "privatelink.file.core.windows.net"]);
    const links = Object.values(resourcesOf(core, "azurerm_private_dns_zone_virtual_network_link"));
    expect(links).toHaveLength(4);
    expect(links.every((l: any) => l.registration_enabled === false)).toBe(true);
  });

  test("zone-redundant Standard public IPs, inbound and egress per region", () => {
    const ips = Object.values(resourcesOf(core, "azurerm_public_ip"));
    expect(ips).toHaveLength(4);
    for (const ip of ips as any[]) expect(ip).toMatchObject({ sku: "Standard", allocation_method: "Static", zones: ["1", "2", "3"] });
  });

  test("Key Vault: RBAC, purge protection, soft delete, deny by default, locked", () => {
    const kv = byPath(core, "azurerm_key_vault", "KeyVault/Resource");
    expect(kv).toMatchObject({
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      network_acls: expect.objectContaining({ default_action: "Deny", bypass: "AzureServices" }),
      lifecycle: { prevent_destroy: true },
    });
    expect(kv.network_acls.virtual_network_subnet_ids).toHaveLength(4);
    expect(byPath(core, "azurerm_management_lock", "KeyVault/DeleteLock")).toMatchObject({ lock_level: "CanNotDelete" });
    expect(byPath(core, "azurerm_role_assignment", "KeyVault/DeployerSecretsOfficer").role_definition_name).toBe("Key Vault Secrets Officer");
  });

  test("Log Analytics without shared keys, and identities for each VM role", () => {
    expect(byPath(core, "azurerm_log_analytics_workspace", "LogAnalytics/Resource")).toMatchObject({
      local_authentication_enabled: false,
      retention_in_days: 90,
    });
    expect(
      Object.values(resourcesOf(core, "azurerm_user_assigned_identity"))
        .map((i: any) => i.name)
        .sort(),
    ).toEqual(["ctso-matomo-ex-neu-frontend-id", "ctso-matomo-ex-weu-archiver-id", "ctso-matomo-ex-weu-frontend-id"]);
  });
});

describe("data stack", () => {
  test("MySQL primary: zone-redundant HA in another zone, private, 35-day geo backups, zones ignored", () => {
    const s = byPath(data, "azurerm_mysql_flexible_server", "Mysql/Server");
    expect(s).toMatchObject({
      sku_name: "GP_Standard_D2ds_v4",
      version: "8.0.21",
      zone: "1",
      high_availability: { mode: "ZoneRedundant", standby_availability_zone: "2" },
      backup_retention_days: 35,
      geo_redundant_backup_enabled: true,
      storage: expect.objectContaining({ auto_grow_enabled: true }),
      maintenance_window: { day_of_week: 0, start_hour: 2, start_minute: 0 },
      lifecycle: {
        ignore_changes: ["zone", "high_availability[0].standby_availability_zone", "storage[0].size_gb", "create_mode", "source_server_id"],
        prevent_destroy: true,
      },
    });
    expect(s.delegated_subnet_id).toMatch(/Network-primary_Subnet-mysql/);
    expect(s.private_dns_zone_id).toMatch(/MysqlZone/);
    expect(s.public_network_access).toBeUndefined();
    expect(s.administrator_password).toBeUndefined();
    expect(s.administrator_password_wo).toBe("${ephemeral.random_password.MysqlAdminPassword.result}");
    expect(s.administrator_password_wo_version).toBe(1);
  });

  test("replica: same resource group as the source, secondary region, own delegated subnet, no HA block", () => {
    const s = byPath(data, "azurerm_mysql_flexible_server", "Mysql/Server");
    const r = byPath(data, "azurerm_mysql_flexible_server", "Mysql/Replica");
    expect(r).toMatchObject({ create_mode: "Replica", location: "northeurope", resource_group_name: s.resource_group_name, sku_name: s.sku_name });
    expect(r.source_server_id).toBe("${azurerm_mysql_flexible_server.Mysql_Server_B86F5DD5.id}");
    expect(r.delegated_subnet_id).toMatch(/Network-secondary_Subnet-mysql/);
    expect(r.high_availability).toBeUndefined();
    expect(r.replication_role).toBeUndefined();
    expect(r.lifecycle).toEqual({ ignore_changes: ["storage[0].size_gb", "create_mode", "source_server_id"], prevent_destroy: true });
  });

  test("the replica waits for every source parameter and the database (creating it restarts the source)", () => {
    const r = byPath(data, "azurerm_mysql_flexible_server", "Mysql/Replica");
    const sourceParameters = Object.keys(resourcesOf(data, "azurerm_mysql_flexible_server_configuration")).filter((k) => k.startsWith("Mysql_Parameter-"));
    expect(sourceParameters.length).toBeGreaterThanOrEqual(6);
    expect(r.depends_on).toEqual(
      expect.arrayContaining([
        ...sourceParameters.map((k) => `azurerm_mysql_flexible_server_configuration.${k}`),
        expect.stringMatching(/^azurerm_mysql_flexible_database\.Mysql_Database_/),
      ]),
    );
  });

  test("storage diagnostics use the metric categories Azure accepts there, never AllMetrics (BP-DIAG-1 on real output)", () => {
    const rule = ALL_RULES.find((x) => x.id === "BP-DIAG-1")!;
    const settings = Object.values(resourcesOf(data, "azurerm_monitor_diagnostic_setting")) as any[];
    const storage = settings.filter((d) => String(d.target_resource_id).includes("azurerm_storage_account."));
    expect(storage).toHaveLength(4);
    for (const d of storage) {
      expect(d.enabled_metric.map((m: any) => m.category).sort()).toEqual(["Capacity", "Transaction"]);
      expect(rule.evaluate({ type: "azurerm_monitor_diagnostic_setting", attributes: d })).toBe("COMPLIANT");
    }
    const mysql = settings.find((d) => String(d.target_resource_id).includes("azurerm_mysql_flexible_server."));
    expect(mysql.enabled_metric).toEqual([{ category: "AllMetrics" }]);
  });

  test("promoting the replica is one config value", () => {
    const { stacks } = synthAll(promotedConfig());
    const promoted = byPath(stacks.data, "azurerm_mysql_flexible_server", "Mysql/Replica");
    expect(promoted.replication_role).toBe("None");
    // Read back empty after promotion, and replace-on-change: ignored, so the promoted server is kept.
    expect(promoted.lifecycle.ignore_changes).toEqual(expect.arrayContaining(["create_mode", "source_server_id"]));
    // The old primary is forgotten, not destroyed (prevent_destroy would block every later plan).
    expect(stacks.data.removed).toEqual(
      expect.arrayContaining([
        { from: "azurerm_mysql_flexible_server.Mysql_Server_B86F5DD5", lifecycle: { destroy: false } },
        { from: "azurerm_mysql_flexible_database.Mysql_Database_495C8032", lifecycle: { destroy: false } },
      ]),
    );
    // With its lock (it may hold writes the replica never got), diagnostics and parameters: the failover plan
    // deletes nothing there and sends no call to the lost region.
    const removed = stacks.data.removed.map((r: any) => r.from);
    expect(removed).toEqual(
      expect.arrayContaining(["azurerm_management_lock.Mysql_DeleteLock_3A3BEFB2", "azurerm_monitor_diagnostic_setting.Mysql_Diagnostics_F15EA521"]),
    );
    expect(removed.filter((a: string) => a.startsWith("azurerm_mysql_flexible_server_configuration.Mysql_Parameter-"))).toHaveLength(6);
    for (const type of ["azurerm_management_lock", "azurerm_monitor_diagnostic_setting", "azurerm_mysql_flexible_server_configuration"]) {
      const kept = Object.values<any>(resourcesOf(stacks.data, type)).map((r) => r["//"].metadata.path);
      expect(kept.filter((p: string) => /\/Mysql\/(DeleteLock|Diagnostics|Parameter-)/.test(p))).toEqual([]);
    }
  });

  test("a new replica of the promoted server is one config change: a new generation in the primary region", () => {
    // One synth for two tests (jest budget): the secret version change touches nothing MySQL.
    const { stacks } = rebuiltReplica();
    const replica = byPath(stacks.data, "azurerm_mysql_flexible_server", "Mysql/Server-primary-2");
    expect(replica).toMatchObject({ name: "ctso-matomo-ex-mysql-2", create_mode: "Replica", location: "westeurope" });
    expect(replica.source_server_id).toMatch(/Mysql_Replica_/);
    expect(stacks.data.removed.map((r: any) => r.from)).toContain("azurerm_mysql_flexible_server.Mysql_Server_B86F5DD5");
    const ci = Buffer.from(byPath(stacks["app-weu"], "azurerm_linux_virtual_machine_scale_set", "Frontends/Resource").custom_data, "base64").toString("utf8");
    expect(ci).toContain("MATOMO_DB_HOST='ctso-matomo-ex-mysql-neu.mysql.database.azure.com'");
  });

  test("server parameters Matomo needs, on the primary and on the replica that may become it", () => {
    const all = Object.values<any>(resourcesOf(data, "azurerm_mysql_flexible_server_configuration"));
    const on = (server: string) => Object.fromEntries(all.filter((p) => p.server_name.includes(server)).map((p) => [p.name, p.value]));
    expect(on("Mysql_Replica_")).toEqual(on("Mysql_Server_"));
    const params = on("Mysql_Server_");
    expect(params.require_secure_transport).toBe("ON");
    expect(params.tls_version).toBe("TLSv1.2,TLSv1.3");
    expect(Number(params.max_allowed_packet)).toBeGreaterThanOrEqual(64 * 1024 * 1024);
    expect(params.sql_generate_invisible_primary_key).toBe("OFF");
    // 2 regions x 6 frontends (no surge by default) x (32 app workers on 2 vCPUs + 2 health workers + 2 cron jobs) + archiver 10 + headroom 50
    expect(Number(params.max_connections)).toBe(2 * 6 * (32 + 2 + 2) + 10 + 50);
    expect(Number(params.max_connections)).toBeLessThanOrEqual(1365); // Azure's maximum on GP_Standard_D2ds_v4
  });

  test("utf8mb4 database", () => {
    expect(byPath(data, "azurerm_mysql_flexible_database", "Mysql/Database")).toMatchObject({
      name: "matomo",
      charset: "utf8mb4",
      collation: "utf8mb4_general_ci",
    });
  });

  test("one premium ZRS NFS share per region, private endpoint only, no keys", () => {
    for (const key of ["primary", "secondary"]) {
      expect(byPath(data, "azurerm_storage_account", `Files-${key}/Account`)).toMatchObject({
        account_kind: "FileStorage",
        account_tier: "Premium",
        account_replication_type: "ZRS",
        https_traffic_only_enabled: false,
        public_network_access_enabled: false,
        shared_access_key_enabled: false,
        network_rules: expect.objectContaining({ default_action: "Deny" }),
        lifecycle: { prevent_destroy: true },
      });
      expect(byPath(data, "azurerm_storage_share", `Files-${key}/Share`)).toMatchObject({
        enabled_protocol: "NFS",
        quota: 100,
        lifecycle: { prevent_destroy: true },
      });
      expect(byPath(data, "azurerm_private_endpoint", `Files-${key}/PrivateEndpoint`).private_service_connection.subresource_names).toEqual(["file"]);
    }
  });

  test("delete locks on both servers and both storage accounts", () => {
    const locks = Object.values(resourcesOf(data, "azurerm_management_lock"));
    expect(locks).toHaveLength(4);
    expect(locks.every((l: any) => l.lock_level === "CanNotDelete")).toBe(true);
  });

  test("secrets: generated, stored in Key Vault, readable only by the roles that need them", () => {
    const assignments = Object.values(resourcesOf(data, "azurerm_role_assignment")) as any[];
    const readersOf = (secret: string) =>
      assignments
        .filter((a) => a.scope.includes(`Secrets_${secret}_`))
        .map((a) => a["//"].metadata.path.split("/").pop())
        .sort();
    expect(readersOf("MysqlAdminPassword")).toEqual(["Reader-archiver"]);
    expect(readersOf("SuperUserPassword")).toEqual(["Reader-archiver"]);
    expect(readersOf("MatomoDbPassword")).toEqual(["Reader-archiver", "Reader-frontendPrimary", "Reader-frontendSecondary"]);
    expect(assignments.every((a) => a.role_definition_name === "Key Vault Secrets User" && a.scope.endsWith(".resource_versionless_id}"))).toBe(true);
  });

  test("no secret in state: ephemeral passwords go only to write-only arguments; the 0.1.0 resources are forgotten", () => {
    expect(Object.keys(data.ephemeral.random_password).sort()).toEqual(["MatomoDbPassword", "MatomoSalt", "MysqlAdminPassword", "SuperUserPassword"]);
    expect(resourcesOf(data, "random_password")).toEqual({});
    for (const secret of Object.values<any>(resourcesOf(data, "azurerm_key_vault_secret"))) {
      expect(secret.value).toBeUndefined();
      expect(secret.value_wo).toMatch(/^\$\{ephemeral\.random_password\.\w+\.result\}$/);
      expect(secret.value_wo_version).toBe(1);
    }
    // The salt is written once and never again, whatever happens to its version.
    expect(byPath(data, "azurerm_key_vault_secret", "Secrets/MatomoSalt/Resource").lifecycle).toEqual({ ignore_changes: ["value", "value_wo_version"] });
    expect(data.removed.map((r: any) => r.from)).toEqual(expect.arrayContaining(["random_password.MatomoSalt", "random_password.MysqlAdminPassword"]));
    // Every former random_password address (the 0.1.0 pins) is forgotten, none destroyed.
    const forgotten = data.removed.filter((r: any) => String(r.from).startsWith("random_password."));
    expect(forgotten.map((r: any) => r.from).sort()).toEqual(
      ["MatomoDbPassword", "MatomoSalt", "MysqlAdminPassword", "SuperUserPassword"].map((n) => `random_password.${n}`),
    );
    for (const r of forgotten) expect(r.lifecycle).toEqual({ destroy: false });
  });

  test("a secret version is the rotation: raising it changes only that write-only version", () => {
    const { stacks } = rebuiltReplica();
    expect(byPath(stacks.data, "azurerm_key_vault_secret", "Secrets/MatomoDbPassword/Resource").value_wo_version).toBe(2);
    expect(byPath(stacks.data, "azurerm_key_vault_secret", "Secrets/MysqlAdminPassword/Resource").value_wo_version).toBe(1);
  });
});

describe("every stack", () => {
  test("no output exposes a generated secret", () => {
    for (const stack of [core, data]) {
      for (const [name, output] of Object.entries<any>(stack.output ?? {})) {
        expect(`${name} ${JSON.stringify(output.value)}`).not.toMatch(/random_password|private_key|key_vault_secret/);
      }
    }
  });

  test("depends_on only names whole resources declared in the same stack", () => {
    const all = exampleSynth().stacks;
    let seen = 0;
    for (const [id, stack] of Object.entries(all)) {
      for (const resources of Object.values<any>(stack.resource)) {
        for (const r of Object.values<any>(resources)) {
          for (const dep of r.depends_on ?? []) {
            seen++;
            const m = /^(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)$/.exec(dep);
            expect(m).not.toBeNull();
            const declared = m![1] ? stack.data?.[m![2]]?.[m![3]] : stack.resource?.[m![2]]?.[m![3]];
            expect([id, dep, declared !== undefined]).toEqual([id, dep, true]);
          }
        }
      }
    }
    // The archiver's log-collection association waits for its agent; if none is left, this test checks nothing.
    expect(seen).toBeGreaterThan(0);
  });
});

test("a separate deployer identity can be pinned so plan and deploy identities agree", () => {
  // Only the core stack carries the assignment: synthesize just that one.
  const pinned = new CoreStack(Testing.app(), "core", { config: exampleConfig((c) => (c.azure.deployerObjectId = "11111111-2222-3333-4444-555555555555")) });
  const pinnedCore = JSON.parse(fs.readFileSync(path.join(Testing.fullSynth(pinned), "stacks", "core", "cdk.tf.json"), "utf8"));
  expect(byPath(pinnedCore, "azurerm_role_assignment", "KeyVault/DeployerSecretsOfficer").principal_id).toBe("11111111-2222-3333-4444-555555555555");
  expect(byPath(core, "azurerm_role_assignment", "KeyVault/DeployerSecretsOfficer").principal_id).toBe("${data.azurerm_client_config.ClientConfig.object_id}");
});
