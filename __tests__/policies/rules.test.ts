import { ALL_RULES } from "../../policies/rules";
import { ResourceView } from "../../policies/rule";
import { hardenedLinuxVm } from "../../modules/common/linux-vm-defaults";
import { CLOUDFLARE_RULE_EXAMPLES } from "../../policies/rules/cloudflare";

const view = (type: string, attributes: Record<string, any>): ResourceView => ({ type, attributes });
const kv = { purge_protection_enabled: true, soft_delete_retention_days: 90, rbac_authorization_enabled: true, network_acls: { default_action: "Deny" } };
const mysql = {
  geo_redundant_backup_enabled: true,
  backup_retention_days: 35,
  zone: "1",
  high_availability: { mode: "ZoneRedundant", standby_availability_zone: "2" },
  lifecycle: { ignore_changes: ["zone", "high_availability[0].standby_availability_zone"], prevent_destroy: true },
  delegated_subnet_id: "${azurerm_subnet.db.id}",
  private_dns_zone_id: "${azurerm_private_dns_zone.z.id}",
};
const storage = {
  account_kind: "FileStorage",
  account_replication_type: "ZRS",
  public_network_access_enabled: false,
  network_rules: { default_action: "Deny" },
  min_tls_version: "TLS1_2",
  allow_nested_items_to_be_public: false,
  shared_access_key_enabled: false,
  share_properties: { retention_policy: { days: 14 } },
};
const nsgRule = { direction: "Inbound", access: "Allow", source_address_prefix: "VirtualNetwork", destination_port_range: "22" };
const vmss = {
  disable_password_authentication: true,
  admin_ssh_key: [{ username: "u", public_key: "ssh-ed25519 AAAA" }],
  encryption_at_host_enabled: true,
  zones: ["1", "2", "3"],
  zone_balance: false,
  upgrade_mode: "Rolling",
  depends_on: ["azurerm_lb_outbound_rule.LoadBalancer_FrontendEgress_1A2B"],
  automatic_instance_repair: { enabled: true },
  extension: [{ type: "ApplicationHealthLinux" }],
  network_interface: [{ ip_configuration: [{ subnet_id: "${azurerm_subnet.web.id}" }] }],
  custom_data: '${base64encode("#cloud-config\\nruncmd: [fetch-secrets]")}',
};

// rule ID -> [compliant view, non-compliant view]
const cases: Record<string, [ResourceView, ResourceView]> = {
  ...CLOUDFLARE_RULE_EXAMPLES,
  "BP-KV-1": [view("azurerm_key_vault", kv), view("azurerm_key_vault", { ...kv, purge_protection_enabled: false })],
  "BP-KV-2": [view("azurerm_key_vault", kv), view("azurerm_key_vault", { ...kv, rbac_authorization_enabled: undefined })],
  "BP-KV-3": [view("azurerm_key_vault", kv), view("azurerm_key_vault", { ...kv, network_acls: { default_action: "Allow" } })],
  "BP-MYSQL-1": [view("azurerm_mysql_flexible_server", mysql), view("azurerm_mysql_flexible_server", { ...mysql, backup_retention_days: 7 })],
  "BP-MYSQL-2": [
    view("azurerm_mysql_flexible_server", mysql),
    view("azurerm_mysql_flexible_server", { ...mysql, high_availability: { mode: "ZoneRedundant", standby_availability_zone: "1" } }),
  ],
  "BP-MYSQL-3": [
    view("azurerm_mysql_flexible_server", mysql),
    view("azurerm_mysql_flexible_server", { ...mysql, delegated_subnet_id: undefined, public_network_access: "Enabled" }),
  ],
  "BP-MYSQL-4": [
    view("azurerm_mysql_flexible_server_configuration", { name: "require_secure_transport", value: "ON" }),
    view("azurerm_mysql_flexible_server_configuration", { name: "require_secure_transport", value: "OFF" }),
  ],
  "BP-STATE-1": [view("azurerm_storage_share", { lifecycle: { prevent_destroy: true } }), view("azurerm_storage_share", {})],
  "BP-STORAGE-1": [view("azurerm_storage_account", storage), view("azurerm_storage_account", { ...storage, public_network_access_enabled: true })],
  "BP-STORAGE-2": [view("azurerm_storage_account", storage), view("azurerm_storage_account", { ...storage, shared_access_key_enabled: true })],
  "BP-STORAGE-3": [view("azurerm_storage_account", storage), view("azurerm_storage_account", { ...storage, account_replication_type: "LRS" })],
  "BP-STORAGE-4": [view("azurerm_storage_account", storage), view("azurerm_storage_account", { ...storage, share_properties: undefined })],
  "BP-NET-1": [
    view("azurerm_network_security_rule", nsgRule),
    view("azurerm_network_security_rule", { ...nsgRule, source_address_prefix: "Internet", destination_port_range: "20-25" }),
  ],
  "BP-NET-2": [
    view("azurerm_public_ip", { sku: "Standard", allocation_method: "Static", zones: ["1", "2", "3"] }),
    view("azurerm_public_ip", { sku: "Standard", allocation_method: "Static" }),
  ],
  "BP-NET-3": [view("azurerm_subnet", { default_outbound_access_enabled: false }), view("azurerm_subnet", {})],
  "BP-VM-1": [
    view("azurerm_linux_virtual_machine_scale_set", vmss),
    view("azurerm_linux_virtual_machine_scale_set", { ...vmss, disable_password_authentication: false, admin_password: "x" }),
  ],
  "BP-VM-2": [view("azurerm_linux_virtual_machine", vmss), view("azurerm_linux_virtual_machine", { ...vmss, encryption_at_host_enabled: false })],
  "BP-VM-3": [
    view("azurerm_linux_virtual_machine_scale_set", vmss),
    view("azurerm_linux_virtual_machine_scale_set", { ...vmss, network_interface: [{ ip_configuration: [{ public_ip_address: [{ name: "pip" }] }] }] }),
  ],
  "BP-VM-4": [
    view("azurerm_linux_virtual_machine_scale_set", vmss),
    view("azurerm_linux_virtual_machine_scale_set", { ...vmss, custom_data: '${base64encode("password: ${random_password.MysqlAdminPassword.result}")}' }),
  ],
  "BP-VMSS-1": [view("azurerm_linux_virtual_machine_scale_set", vmss), view("azurerm_linux_virtual_machine_scale_set", { ...vmss, zones: ["1"] })],
  "BP-VMSS-2": [view("azurerm_linux_virtual_machine_scale_set", vmss), view("azurerm_linux_virtual_machine_scale_set", { ...vmss, zone_balance: true })],
  "BP-VM-5": [
    view("azurerm_linux_virtual_machine", {
      ...vmss,
      depends_on: [
        "azurerm_lb_outbound_rule.LoadBalancer_ArchiverEgress_1",
        "azurerm_network_interface_backend_address_pool_association.Archiver_EgressPool_2",
      ],
    }),
    // The VM's NIC joins the pool separately: the outbound rule alone does not give it egress.
    view("azurerm_linux_virtual_machine", { ...vmss, depends_on: ["azurerm_lb_outbound_rule.LoadBalancer_ArchiverEgress_1"] }),
  ],
  "BP-MYSQL-5": [
    view("azurerm_mysql_flexible_server", {
      create_mode: "Replica",
      source_server_id: "${azurerm_mysql_flexible_server.Db_Server.id}",
      depends_on: ["azurerm_mysql_flexible_server_configuration.Db_Parameter-tls_version", "azurerm_mysql_flexible_database.Db_Database"],
    }),
    view("azurerm_mysql_flexible_server", {
      create_mode: "Replica",
      source_server_id: "${azurerm_mysql_flexible_server.Db_Server.id}",
      depends_on: ["azurerm_mysql_flexible_database.Db_Database"],
    }),
  ],
  "BP-DIAG-1": [
    view("azurerm_monitor_diagnostic_setting", {
      target_resource_id: "${azurerm_storage_account.Files_Account_1.id}/fileServices/default",
      enabled_log: [{ category_group: "allLogs" }],
      enabled_metric: [{ category: "Capacity" }, { category: "Transaction" }],
    }),
    view("azurerm_monitor_diagnostic_setting", {
      target_resource_id: "${azurerm_storage_account.Files_Account_1.id}/fileServices/default",
      enabled_metric: [{ category: "AllMetrics" }],
    }),
  ],
};

describe.each(ALL_RULES.map((r) => [r.id, r] as const))("%s", (id, rule) => {
  test("has a passing and a failing case", () => {
    expect(cases[id]).toBeDefined();
  });
  test("compliant example passes", () => {
    expect(rule.evaluate(cases[id][0])).toBe("COMPLIANT");
  });
  test("non-compliant example fails", () => {
    expect(rule.evaluate(cases[id][1])).toBe("NON_COMPLIANT");
  });
  test("is documented", () => {
    expect(rule.description.length).toBeGreaterThan(20);
    expect(rule.explanation.length).toBeGreaterThan(20);
    expect(rule.resourceTypes.length).toBeGreaterThan(0);
  });
});

test("rule IDs are unique and every case belongs to a rule", () => {
  const ids = ALL_RULES.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(Object.keys(cases).sort()).toEqual([...ids].sort());
});

test("BP-VM-4 looks inside the base64 custom data the VM modules produce", () => {
  const rule = ALL_RULES.find((r) => r.id === "BP-VM-4")!;
  const base = { adminUsername: "u", sshPublicKey: "ssh-ed25519 AAAA", identityId: "id" };
  const leaky = hardenedLinuxVm({ ...base, cloudInit: `#cloud-config\nwrite_files:\n  - content: "-----BEGIN ${"EC"} PRIVATE KEY-----"` });
  const clean = hardenedLinuxVm({ ...base, cloudInit: "#cloud-config\nruncmd: [fetch-secrets]" });
  expect(rule.evaluate(view("azurerm_linux_virtual_machine", { custom_data: leaky.customData }))).toBe("NON_COMPLIANT");
  expect(rule.evaluate(view("azurerm_linux_virtual_machine", { custom_data: clean.customData }))).toBe("COMPLIANT");
});

test("BP-MYSQL-4 also requires TLS 1.2+ only", () => {
  const rule = ALL_RULES.find((r) => r.id === "BP-MYSQL-4")!;
  const tls = (value: string) => rule.evaluate(view("azurerm_mysql_flexible_server_configuration", { name: "tls_version", value }));
  expect(tls("TLSv1.2,TLSv1.3")).toBe("COMPLIANT");
  expect(tls("TLSv1.1,TLSv1.2")).toBe("NON_COMPLIANT");
  expect(tls("TLSv1")).toBe("NON_COMPLIANT");
});

test("rules that do not apply say so", () => {
  const replica = view("azurerm_mysql_flexible_server", { create_mode: "Replica" });
  expect(ALL_RULES.find((r) => r.id === "BP-MYSQL-2")!.evaluate(replica)).toBe("NOT_APPLICABLE");
  const other = view("azurerm_mysql_flexible_server_configuration", { name: "max_connections", value: "500" });
  expect(ALL_RULES.find((r) => r.id === "BP-MYSQL-4")!.evaluate(other)).toBe("NOT_APPLICABLE");
});

describe("platform rules beyond the compliant/non-compliant pair", () => {
  const rule = (id: string) => ALL_RULES.find((r) => r.id === id)!;
  test("BP-DIAG-1: AllMetrics is fine on targets that support it, logs are refused on a storage account itself", () => {
    const diag = (target: string, extra: Record<string, unknown>) =>
      rule("BP-DIAG-1").evaluate(view("azurerm_monitor_diagnostic_setting", { target_resource_id: target, ...extra }));
    expect(diag("${azurerm_mysql_flexible_server.Db_Server_1.id}", { enabled_metric: [{ category: "AllMetrics" }] })).toBe("COMPLIANT");
    expect(
      diag("${azurerm_storage_account.Files_Account_1.id}", { enabled_log: [{ category_group: "allLogs" }], enabled_metric: [{ category: "Transaction" }] }),
    ).toBe("NON_COMPLIANT");
    expect(diag("${azurerm_storage_account.Files_Account_1.id}", { enabled_metric: [{ category: "Transaction" }] })).toBe("COMPLIANT");
  });
  test("BP-VM-5: a scale set needs only its outbound rule (pool membership is in its own NIC config)", () => {
    expect(rule("BP-VM-5").evaluate(view("azurerm_linux_virtual_machine_scale_set", { depends_on: [] }))).toBe("NON_COMPLIANT");
    expect(rule("BP-VM-5").evaluate(view("azurerm_linux_virtual_machine_scale_set", vmss))).toBe("COMPLIANT");
  });
  test("BP-VMSS-2 leaves a single-zone scale set to BP-VMSS-1", () => {
    expect(rule("BP-VMSS-2").evaluate(view("azurerm_linux_virtual_machine_scale_set", { ...vmss, zones: ["1"], zone_balance: true }))).toBe("NOT_APPLICABLE");
  });
  test("BP-MYSQL-5 ignores the source server and a promoted replica (no source any more)", () => {
    expect(rule("BP-MYSQL-5").evaluate(view("azurerm_mysql_flexible_server", { create_mode: undefined }))).toBe("NOT_APPLICABLE");
    expect(rule("BP-MYSQL-5").evaluate(view("azurerm_mysql_flexible_server", { create_mode: "Replica", replication_role: "None" }))).toBe("NOT_APPLICABLE");
  });
});
