import { byPath, exampleConfig, resourcesOf, synthAll, TfJson, exampleSynth, promotedConfig } from "../helpers";
import { outboundPortsPerVm } from "../../modules/frontend/regional-load-balancer";
import * as fs from "fs";
import * as path from "path";
import { POLICY_REPORT_FILE, PolicyFinding } from "../../policies/pack";

let stacks: Record<string, TfJson>;
let manifest: any;
beforeAll(() => {
  const out = exampleSynth();
  stacks = out.stacks;
  manifest = JSON.parse(fs.readFileSync(path.join(out.dir, "manifest.json"), "utf8"));
});
const decode = (b64: string) => Buffer.from(b64, "base64").toString("utf8");

describe("regional load balancer", () => {
  test.each(["app-weu", "app-neu"])("%s: Standard LB on core's IPs, HTTPS rule with probe, no SNAT on the Cloudflare IP", (id) => {
    const s = stacks[id];
    const lb = byPath(s, "azurerm_lb", "LoadBalancer/Resource");
    expect(lb.sku).toBe("Standard");
    expect(lb.frontend_ip_configuration.map((f: any) => f.name)).toEqual(["inbound", "outbound"]);
    expect(lb.frontend_ip_configuration[0].public_ip_address_id).toMatch(/InboundPublicIp/);
    expect(lb.frontend_ip_configuration[1].public_ip_address_id).toMatch(/EgressPublicIp/);
    expect(byPath(s, "azurerm_lb_probe", "LoadBalancer/HealthProbe")).toMatchObject({ protocol: "Https", port: 443, request_path: "/healthz" });
    expect(byPath(s, "azurerm_lb_rule", "LoadBalancer/HttpsRule")).toMatchObject({
      protocol: "Tcp",
      frontend_port: 443,
      backend_port: 443,
      frontend_ip_configuration_name: "inbound",
      disable_outbound_snat: true,
    });
    expect(byPath(s, "azurerm_lb_outbound_rule", "LoadBalancer/FrontendEgress").frontend_ip_configuration).toEqual([{ name: "outbound" }]);
  });

  test("SNAT ports per VM fit one IP's 64,000 with every VM a rollout can create", () => {
    // example: 6 frontends + 2 surging in a rollout (20 %) + the archiver in the primary region
    for (const [id, vms] of [
      ["app-weu", 7],
      ["app-neu", 6],
    ] as const) {
      const ports = byPath(stacks[id], "azurerm_lb_outbound_rule", "LoadBalancer/FrontendEgress").allocated_outbound_ports;
      expect(ports).toBe(outboundPortsPerVm(vms));
      expect(ports * vms).toBeLessThanOrEqual(64000);
      expect(ports * vms).toBeGreaterThan(64000 - 8 * vms);
    }
    expect(outboundPortsPerVm(1)).toBe(16000);
  });
});

describe("frontend scale set", () => {
  test.each([
    ["app-weu", 3],
    ["app-neu", 3],
  ])("%s: zones, rolling upgrades (surge opt-in), repair, health extension", (id, min) => {
    const v = byPath(stacks[id], "azurerm_linux_virtual_machine_scale_set", "Frontends/Resource");
    expect(v).toMatchObject({
      sku: "Standard_D2s_v5",
      instances: min,
      zones: ["1", "2", "3"],
      zone_balance: false,
      overprovision: false,
      upgrade_mode: "Rolling",
      disable_password_authentication: true,
      encryption_at_host_enabled: true,
      secure_boot_enabled: true,
      vtpm_enabled: true,
      automatic_instance_repair: { enabled: true, grace_period: "PT30M", action: "Replace" },
      automatic_os_upgrade_policy: { enable_automatic_os_upgrade: true, disable_automatic_rollback: false },
      identity: expect.objectContaining({ type: "UserAssigned" }),
      source_image_reference: expect.objectContaining({ publisher: "Canonical", offer: "ubuntu-24_04-lts" }),
      lifecycle: { ignore_changes: ["instances"] },
    });
    // Egress (default outbound access is off) exists before the first instance boots.
    expect(v.depends_on).toEqual([expect.stringMatching(/^azurerm_lb_outbound_rule\.LoadBalancer_FrontendEgress_/)]);
    // Surge needs a preview-feature registration, so it is opt-in (compute.maximumSurge).
    expect(v.rolling_upgrade_policy).toMatchObject({ maximum_surge_instances_enabled: false, prioritize_unhealthy_instances_enabled: true });
    expect(v.extension).toHaveLength(1);
    expect(v.extension[0]).toMatchObject({ type: "ApplicationHealthLinux", publisher: "Microsoft.ManagedServices" });
    expect(JSON.parse(v.extension[0].settings)).toMatchObject({ protocol: "https", port: 443, requestPath: "/healthz" });
    expect(v.admin_password).toBeUndefined();
    const ipc = v.network_interface[0].ip_configuration[0];
    expect(ipc.public_ip_address).toBeUndefined();
    expect(ipc.load_balancer_backend_address_pool_ids[0]).toMatch(/FrontendPool/);
  });

  test("autoscale: bounded, scales out and in on CPU", () => {
    const a = byPath(stacks["app-weu"], "azurerm_monitor_autoscale_setting", "Frontends/Autoscale");
    expect(a.profile[0].capacity).toEqual({ default: 3, minimum: 3, maximum: 6 });
    const rules = a.profile[0].rule.map((r: any) => [r.scale_action.direction, r.metric_trigger.operator, r.metric_trigger.threshold]);
    expect(rules).toEqual([
      ["Increase", "GreaterThan", 70],
      ["Decrease", "LessThan", 30],
    ]);
  });

  test("custom data is the frontend cloud-init for its own region's share", () => {
    const weu = decode(byPath(stacks["app-weu"], "azurerm_linux_virtual_machine_scale_set", "Frontends/Resource").custom_data);
    const neu = decode(byPath(stacks["app-neu"], "azurerm_linux_virtual_machine_scale_set", "Frontends/Resource").custom_data);
    expect(weu).toMatch(/^#cloud-config/);
    expect(weu).toContain("MATOMO_ROLE='frontend'");
    expect(weu).toContain("ctsomatomoexweunfs.file.core.windows.net:/ctsomatomoexweunfs/matomo-shared");
    expect(neu).toContain("ctsomatomoexneunfs.file.core.windows.net:/ctsomatomoexneunfs/matomo-shared");
    expect(weu).toContain("MATOMO_DB_HOST='ctso-matomo-ex-mysql.mysql.database.azure.com'");
  });

  test("after a replica promotion every VM points at the promoted server", () => {
    const promoted = synthAll(promotedConfig()).stacks;
    const ci = decode(byPath(promoted["app-neu"], "azurerm_linux_virtual_machine_scale_set", "Frontends/Resource").custom_data);
    expect(ci).toContain("MATOMO_DB_HOST='ctso-matomo-ex-mysql-neu.mysql.database.azure.com'");
  });

  test("the archiver's upgrade wait follows archiver.upgradeWaitMinutes (120 min unless set)", () => {
    const archiverData = (s: Record<string, TfJson>) => decode(byPath(s["app-weu"], "azurerm_linux_virtual_machine", "Archiver/Resource").custom_data);
    expect(archiverData(stacks)).toContain("MATOMO_UPGRADE_WAIT_SECONDS='7200'");
    expect(archiverData(synthAll(promotedConfig()).stacks)).toContain("MATOMO_UPGRADE_WAIT_SECONDS='2700'");
  });
});

describe("archiver", () => {
  test("only in the primary region, no public IP, premium disk, egress-only pool, archiver cloud-init", () => {
    expect(resourcesOf(stacks["app-neu"], "azurerm_linux_virtual_machine")).toEqual({});
    const vm = byPath(stacks["app-weu"], "azurerm_linux_virtual_machine", "Archiver/Resource");
    expect(vm).toMatchObject({
      zone: "1",
      disable_password_authentication: true,
      encryption_at_host_enabled: true,
      os_disk: expect.objectContaining({ storage_account_type: "Premium_LRS" }),
    });
    expect(vm.depends_on).toEqual([
      expect.stringMatching(/^azurerm_lb_outbound_rule\.LoadBalancer_ArchiverEgress_/),
      expect.stringMatching(/^azurerm_network_interface_backend_address_pool_association\.Archiver_EgressPool_/),
    ]);
    const nic = byPath(stacks["app-weu"], "azurerm_network_interface", "Archiver/Nic");
    expect(nic.ip_configuration[0].public_ip_address_id).toBeUndefined();
    expect(nic.ip_configuration[0].subnet_id).toMatch(/Subnet-archiver/);
    expect(byPath(stacks["app-weu"], "azurerm_network_interface_backend_address_pool_association", "Archiver/EgressPool").backend_address_pool_id).toMatch(
      /ArchiverPool/,
    );
    const ci = decode(vm.custom_data);
    expect(ci).toContain("MATOMO_ROLE='archiver'");
    expect(ci).toContain("ctsomatomoexneunfs.file.core.windows.net");
  });
});

describe("stack order", () => {
  test("app stacks deploy after core, data and edge", () => {
    for (const id of ["app-weu", "app-neu"]) {
      expect(manifest.stacks[id].dependencies.sort()).toEqual(["core", "data", "edge"]);
    }
    expect(manifest.stacks.edge.dependencies).toEqual(["core"]);
  });
});

describe("encryption at host off", () => {
  test("is a recorded suppression, not a silent downgrade", () => {
    const { dir } = synthAll(exampleConfig((c) => (c.compute = { encryptionAtHost: false })));
    const findings: PolicyFinding[] = JSON.parse(fs.readFileSync(path.join(dir, POLICY_REPORT_FILE), "utf8")).findings;
    const suppressed = findings.filter((f) => f.ruleId === "BP-VM-2");
    expect(suppressed.map((f) => f.result)).toEqual(["SUPPRESSED", "SUPPRESSED", "SUPPRESSED"]);
    expect(suppressed[0].reason).toMatch(/compute\.encryptionAtHost = false/);
  });
});

describe("health contract between the edge and the frontends", () => {
  test("the Cloudflare monitor, the LB probe and the health extension check the same endpoint", () => {
    const monitor = byPath(stacks.edge, "cloudflare_load_balancer_monitor", "HealthMonitor/Resource");
    expect(monitor).toMatchObject({ type: "https", port: 443, path: "/healthz", expected_codes: "200", expected_body: "ok", allow_insecure: false });
    const probe = byPath(stacks["app-weu"], "azurerm_lb_probe", "LoadBalancer/HealthProbe");
    expect([probe.port, probe.request_path]).toEqual([monitor.port, monitor.path]);
    const ci = decode(byPath(stacks["app-weu"], "azurerm_linux_virtual_machine_scale_set", "Frontends/Resource").custom_data);
    expect(ci).toContain("location = /healthz");
  });
});
