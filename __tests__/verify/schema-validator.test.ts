import * as fs from "fs";
import * as path from "path";
import { formatIssues, loadProjectSchemas, SchemaIssue, validateTerraformJson } from "../../verify/schema/validator";
import { scanExpressions } from "../../verify/schema/expressions";

const SCHEMA_DIR = path.join(__dirname, "../../schemas");
const schemas = loadProjectSchemas();

/** A compact stand-in for a synthesized multi-provider stack; every value here is valid. */
const validDoc = () => ({
  "//": { metadata: { backend: "local", stackName: "data", version: "0.21.0" } },
  terraform: {
    backend: { local: { path: "terraform.data.tfstate" } },
    required_providers: {
      azurerm: { source: "azurerm", version: "4.55.0" },
      cloudflare: { source: "cloudflare/cloudflare", version: "5.14.0" },
      random: { source: "hashicorp/random", version: "3.7.2" },
    },
  },
  variable: { location: { type: "string", default: "westeurope" } },
  locals: { tags: { app: "matomo" }, origins: [] },
  provider: {
    azurerm: [
      { features: [{}], subscription_id: "00000000-0000-0000-0000-000000000000" },
      { alias: "dr", features: [{ key_vault: [{ purge_soft_delete_on_destroy: false }] }], subscription_id: "x" },
    ],
    cloudflare: [{}],
  },
  data: {
    terraform_remote_state: { net: { backend: "local", config: { path: "../network/terraform.tfstate" } } },
    azurerm_client_config: { current: {} },
  },
  resource: {
    azurerm_resource_group: { rg: { "//": { metadata: { path: "data/rg" } }, name: "rg-data", location: "${var.location}", tags: "${local.tags}" } },
    azurerm_public_ip: {
      pip: {
        name: "pip",
        location: "${azurerm_resource_group.rg.location}",
        resource_group_name: "${azurerm_resource_group.rg.name}",
        allocation_method: "Static",
        zones: ["1", "2"],
      },
    },
    azurerm_lb: {
      lb: {
        count: 2,
        name: "lb-${count.index}",
        location: "westeurope",
        resource_group_name: "${azurerm_resource_group.rg.name}",
        frontend_ip_configuration: [{ name: "fe", public_ip_address_id: "${azurerm_public_ip.pip.id}" }],
        dynamic: { frontend_ip_configuration: { for_each: "${local.origins}", content: { name: "${frontend_ip_configuration.value}" } } },
        provider: "azurerm.dr",
      },
    },
    azurerm_lb_probe: { http: { name: "http", loadbalancer_id: "${azurerm_lb.lb[0].id}", port: 80, request_path: "/health", timeouts: { create: "5m" } } },
    azurerm_network_security_group: {
      nsg: {
        name: "nsg",
        location: "westeurope",
        resource_group_name: "${azurerm_resource_group.rg.name}",
        dynamic: {
          security_rule: {
            for_each: '${toset(["443"])}',
            iterator: "each",
            content: { name: "${each.value}", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp" },
          },
        },
      },
    },
    azurerm_mysql_flexible_server: {
      db: {
        name: "mysql",
        location: "westeurope",
        resource_group_name: "${azurerm_resource_group.rg.name}",
        delegated_subnet_id: "${data.terraform_remote_state.net.outputs.db_subnet_id}",
        high_availability: { mode: "ZoneRedundant" },
        storage: [{ size_gb: "64", auto_grow_enabled: "true" }], // strings Terraform converts
        backup_retention_days: 14,
        depends_on: ["azurerm_public_ip.pip"],
        lifecycle: { ignore_changes: ["zone", "high_availability[0].standby_availability_zone"] },
      },
    },
    azurerm_mysql_flexible_database: {
      matomo: {
        name: "matomo",
        resource_group_name: "${azurerm_resource_group.rg.name}",
        server_name: "${azurerm_mysql_flexible_server.db.name}",
        charset: "utf8mb4",
        collation: "utf8mb4_general_ci",
      },
    },
    azurerm_role_assignment: {
      reader: { scope: "${azurerm_resource_group.rg.id}", role_definition_name: "Reader", principal_id: "${data.azurerm_client_config.current.object_id}" },
    },
    random_password: { db: { length: 32, special: true, override_special: "_-" } },
    cloudflare_load_balancer_pool: {
      weu: {
        account_id: "acc",
        name: "weu",
        origins: [{ name: "weu", address: "${azurerm_public_ip.pip.ip_address}", weight: 1, header: { host: ["matomo.example.com"] } }],
      },
    },
    cloudflare_load_balancer: {
      lb: {
        zone_id: "zone",
        name: "matomo.example.com",
        default_pools: ["${cloudflare_load_balancer_pool.weu.id}"],
        fallback_pool: "${cloudflare_load_balancer_pool.weu.id}",
        region_pools: { WEU: ["${cloudflare_load_balancer_pool.weu.id}"] },
        session_affinity_attributes: { samesite: "Lax", secure: "Always" },
        rules: [{ name: "r", condition: "true", overrides: { session_affinity_ttl: 60 } }],
      },
    },
    cloudflare_dns_record: { origin: { zone_id: "zone", name: "origin", type: "A", content: "${azurerm_public_ip.pip.ip_address}", ttl: 1, proxied: true } },
  },
  output: { db_password: { value: "${random_password.db.result}", sensitive: true }, fqdn: { value: "${azurerm_mysql_flexible_server.db.fqdn}" } },
});

type Doc = ReturnType<typeof validDoc> & Record<string, any>;
const errorsOf = (issues: SchemaIssue[]) => issues.filter((i) => i.severity === "error");
const warningsOf = (issues: SchemaIssue[]) => issues.filter((i) => i.severity === "warning");
const r = (d: Doc) => d.resource as Record<string, any>;

describe("validateTerraformJson", () => {
  it("accepts the hand-written valid document with no issues", () => {
    const issues = validateTerraformJson(validDoc(), schemas);
    expect(formatIssues(issues)).toBe("");
  });

  // Each mutation must produce exactly one error, at `path`, with a message matching `message`:
  // exactness also proves the rest of the document raised no false positives.
  const cases: [string, (d: Doc) => void, string, RegExp][] = [
    [
      "unknown argument with suggestion",
      (d) => (r(d).azurerm_lb_probe.http.request_pth = "/"),
      "resource.azurerm_lb_probe.http.request_pth",
      /unknown argument 'request_pth' \(did you mean 'request_path'\?\)/,
    ],
    [
      "missing required argument",
      (d) => delete (r(d).azurerm_mysql_flexible_database.matomo as any).charset,
      "resource.azurerm_mysql_flexible_database.matomo.charset",
      /missing required argument 'charset'/,
    ],
    [
      "explicit null on a required argument",
      (d) => (r(d).cloudflare_dns_record.origin.ttl = null),
      "resource.cloudflare_dns_record.origin.ttl",
      /missing required argument 'ttl' \(it is null/,
    ],
    [
      "computed-only attribute set",
      (d) => (r(d).azurerm_public_ip.pip.ip_address = "1.2.3.4"),
      "resource.azurerm_public_ip.pip.ip_address",
      /'ip_address' is computed \(read-only\)/,
    ],
    [
      "block max_items exceeded",
      (d) => (r(d).azurerm_mysql_flexible_server.db.high_availability = [{ mode: "ZoneRedundant" }, { mode: "SameZone" }]),
      "resource.azurerm_mysql_flexible_server.db.high_availability",
      /at most 1 'high_availability' blocks allowed, got 2/,
    ],
    [
      "v4-style region_pools (array of objects instead of a map)",
      (d) => (r(d).cloudflare_load_balancer.lb.region_pools = [{ region: "WEU", pool_ids: ["p"] }]),
      "resource.cloudflare_load_balancer.lb.region_pools",
      /expected map\(list\(string\)\), got an array/,
    ],
    [
      "nested list attribute given as a single object",
      (d) => (r(d).cloudflare_load_balancer_pool.weu.origins = { name: "weu", address: "1.2.3.4" }),
      "resource.cloudflare_load_balancer_pool.weu.origins",
      /expected a list \(JSON array\) of objects/,
    ],
    [
      "unknown key in a nested attribute object",
      (d) => (r(d).cloudflare_load_balancer.lb.session_affinity_attributes.same_site = "Lax"),
      "resource.cloudflare_load_balancer.lb.session_affinity_attributes.same_site",
      /unknown argument 'same_site' \(did you mean 'samesite'\?\)/,
    ],
    ["wrong primitive type", (d) => (r(d).azurerm_lb_probe.http.port = "https"), "resource.azurerm_lb_probe.http.port", /expected number, got "https"/],
    [
      "bool given a non-bool string",
      (d) => (r(d).cloudflare_dns_record.origin.proxied = "yes"),
      "resource.cloudflare_dns_record.origin.proxied",
      /expected bool, got "yes"/,
    ],
    [
      "reference to a non-existent attribute",
      (d) => (r(d).azurerm_mysql_flexible_database.matomo.server_name = "${azurerm_mysql_flexible_server.db.server_name}"),
      "resource.azurerm_mysql_flexible_database.matomo.server_name",
      /azurerm_mysql_flexible_server has no attribute or block 'server_name'/,
    ],
    [
      "reference to a non-existent nested attribute",
      (d) => (r(d).cloudflare_dns_record.origin.content = "${cloudflare_load_balancer.lb.session_affinity_attributes.same_site}"),
      "resource.cloudflare_dns_record.origin.content",
      /'session_affinity_attributes' has no attribute or block 'same_site' \(did you mean 'samesite'\?\)/,
    ],
    [
      "reference to an undeclared resource",
      (d) => (r(d).azurerm_role_assignment.reader.scope = "${azurerm_resource_group.main.id}"),
      "resource.azurerm_role_assignment.reader.scope",
      /azurerm_resource_group\.main is not declared in this stack/,
    ],
    [
      "reference to an undeclared data source",
      (d) => (r(d).azurerm_role_assignment.reader.principal_id = "${data.azurerm_client_config.cur.object_id}"),
      "resource.azurerm_role_assignment.reader.principal_id",
      /data\.azurerm_client_config\.cur is not declared in this stack \(declared: data\.azurerm_client_config\.current\)/,
    ],
    [
      "reference inside an output",
      (d) => (d.output.fqdn.value = "${azurerm_mysql_flexible_server.db.fqdnn}"),
      "output.fqdn.value",
      /has no attribute or block 'fqdnn' \(did you mean 'fqdn'\?\)/,
    ],
    [
      "undeclared variable",
      (d) => (r(d).azurerm_resource_group.rg.location = "${var.region}"),
      "resource.azurerm_resource_group.rg.location",
      /variable 'region' is not declared/,
    ],
    [
      "counted resource referenced without an instance key",
      (d) => (r(d).azurerm_lb_probe.http.loadbalancer_id = "${azurerm_lb.lb.id}"),
      "resource.azurerm_lb_probe.http.loadbalancer_id",
      /needs an instance key/,
    ],
    [
      "unknown resource type",
      (d) => (r(d).azurerm_mysql_flexible_server_firewall_rule = { fw: { name: "x" } }),
      "resource.azurerm_mysql_flexible_server_firewall_rule.fw",
      /not in the loaded schema of registry\.terraform\.io\/hashicorp\/azurerm 4\.55\.0.*schemas\/types\.json.*refresh-schemas\.js/,
    ],
    [
      "provider without a loaded schema",
      (d) => (r(d).aws_s3_bucket = { b: {} }),
      "resource.aws_s3_bucket.b",
      /no schema loaded for provider registry\.terraform\.io\/hashicorp\/aws/,
    ],
    [
      "undeclared provider alias",
      (d) => (r(d).azurerm_lb.lb.provider = "azurerm.westus"),
      "resource.azurerm_lb.lb.provider",
      /provider configuration 'azurerm\.westus' is not declared/,
    ],
    [
      "timeouts where the schema has none",
      (d) => (r(d).cloudflare_dns_record.origin.timeouts = { create: "5m" }),
      "resource.cloudflare_dns_record.origin.timeouts",
      /unknown argument 'timeouts'/,
    ],
    [
      "unknown key in a nested block",
      (d) => (r(d).azurerm_lb.lb.frontend_ip_configuration[0].zone = ["1"]),
      "resource.azurerm_lb.lb.frontend_ip_configuration[0].zone",
      /unknown argument 'zone' \(did you mean 'zones'\?\)/,
    ],
    [
      "dynamic block content checked",
      (d) => (r(d).azurerm_network_security_group.nsg.dynamic.security_rule.content.priorty = 1),
      "resource.azurerm_network_security_group.nsg.dynamic.security_rule.content.priorty",
      /unknown key 'priorty' \(did you mean 'priority'\?\)/,
    ],
    [
      "dynamic block for a name that is not a block",
      (d) => (r(d).azurerm_lb.lb.dynamic.frontend_ip_configurations = r(d).azurerm_lb.lb.dynamic.frontend_ip_configuration),
      "resource.azurerm_lb.lb.dynamic.frontend_ip_configurations",
      /dynamic block 'frontend_ip_configurations' is not a block.*did you mean 'frontend_ip_configuration'/,
    ],
    [
      "lifecycle.ignore_changes naming a missing attribute",
      (d) => r(d).azurerm_mysql_flexible_server.db.lifecycle.ignore_changes.push("zones"),
      "resource.azurerm_mysql_flexible_server.db.lifecycle.ignore_changes[2]",
      /'zones', which is not an attribute or block.*did you mean 'zone'/,
    ],
    [
      "depends_on an undeclared resource",
      (d) => r(d).azurerm_mysql_flexible_server.db.depends_on.push("azurerm_subnet.db"),
      "resource.azurerm_mysql_flexible_server.db.depends_on",
      /'azurerm_subnet\.db' does not name/,
    ],
    [
      "terraform_remote_state: computed outputs set",
      (d) => ((d.data.terraform_remote_state.net as any).outputs = {}),
      "data.terraform_remote_state.net.outputs",
      /'outputs' is computed/,
    ],
    [
      "provider block: unknown argument",
      (d) => ((d.provider.azurerm[0] as any).subscription = "x"),
      "provider.azurerm[0].subscription",
      /unknown argument 'subscription' \(did you mean 'subscription_id'\?\)/,
    ],
    ["misspelt argument on a random resource", (d) => (r(d).random_password.db.lenght = 1), "resource.random_password.db.lenght", /did you mean 'length'/],
  ];

  it.each(cases)("reports %s", (_name, mutate, expectedPath, message) => {
    const doc = validDoc() as Doc;
    mutate(doc);
    const errors = errorsOf(validateTerraformJson(doc, schemas));
    expect(errors).toEqual([{ severity: "error", path: expectedPath, message: expect.stringMatching(message) }]);
  });

  it("reports deprecated arguments and blocks as warnings, not errors", () => {
    const doc = validDoc() as Doc;
    r(doc).azurerm_lb_rule = {
      https: {
        name: "https",
        loadbalancer_id: "${azurerm_lb.lb[0].id}",
        protocol: "Tcp",
        frontend_port: 443,
        backend_port: 443,
        frontend_ip_configuration_name: "fe",
        enable_tcp_reset: true,
      },
    };
    r(doc).azurerm_monitor_diagnostic_setting = { d: { name: "d", target_resource_id: "${azurerm_lb.lb[0].id}", metric: [{ category: "AllMetrics" }] } };
    const issues = validateTerraformJson(doc, schemas);
    expect(errorsOf(issues)).toEqual([]);
    expect(
      warningsOf(issues)
        .map((i) => i.path)
        .sort(),
    ).toEqual(["resource.azurerm_lb_rule.https.enable_tcp_reset", "resource.azurerm_monitor_diagnostic_setting.d.metric"]);
    expect(warningsOf(issues)[0].message).toMatch(/deprecated/);
  });

  it("warns when the stack pins another provider version than the loaded schema", () => {
    const doc = validDoc() as Doc;
    doc.terraform.required_providers.azurerm.version = "4.56.0";
    const issues = validateTerraformJson(doc, schemas);
    expect(issues).toEqual([
      { severity: "warning", path: "terraform.required_providers.azurerm.version", message: expect.stringMatching(/4\.56\.0 .*4\.55\.0/) },
    ]);
  });

  it('follows Terraform\'s primitive conversions: numeric strings, numbers as strings, "true"/"1" as bool', () => {
    const doc = validDoc() as Doc;
    Object.assign(r(doc).azurerm_lb_probe.http, { port: "8080", name: 42, interval_in_seconds: "1e1" });
    r(doc).cloudflare_dns_record.origin.proxied = "1";
    expect(errorsOf(validateTerraformJson(doc, schemas))).toEqual([]);
    r(doc).azurerm_lb_probe.http.port = true;
    expect(errorsOf(validateTerraformJson(doc, schemas)).map((i) => i.path)).toEqual(["resource.azurerm_lb_probe.http.port"]);
  });

  it("skips type checks for expressions but still checks their references", () => {
    const doc = validDoc() as Doc;
    r(doc).azurerm_lb_probe.http.port = "${tonumber(var.location)}";
    r(doc).cloudflare_load_balancer_pool.weu.origins = "${[for o in local.origins : o]}"; // a list given as one expression
    expect(errorsOf(validateTerraformJson(doc, schemas))).toEqual([]);
    r(doc).azurerm_lb_probe.http.port = "${tonumber(var.port)}";
    expect(errorsOf(validateTerraformJson(doc, schemas)).map((i) => i.message)).toEqual([expect.stringMatching(/variable 'port' is not declared/)]);
  });

  it("flags a missing required attribute inside a nested attribute list", () => {
    const doc = validDoc() as Doc;
    r(doc).cloudflare_ruleset = {
      cache: { zone_id: "zone", name: "cache", kind: "zone", phase: "http_request_cache_settings", rules: [{ action: "set_cache_settings" }] },
    };
    const errors = errorsOf(validateTerraformJson(doc, schemas));
    expect(errors).toEqual([
      {
        severity: "error",
        path: "resource.cloudflare_ruleset.cache.rules[0].expression",
        message: expect.stringMatching(/missing required argument 'expression'/),
      },
    ]);
  });

  it("validates a 400-resource document well under the time budget", () => {
    const doc = validDoc() as Doc;
    for (let i = 0; i < 400; i++) r(doc).azurerm_public_ip[`pip${i}`] = { ...r(doc).azurerm_public_ip.pip, name: `pip${i}` };
    const start = process.hrtime.bigint();
    const issues = validateTerraformJson(doc, schemas);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(issues).toEqual([]);
    expect(ms).toBeLessThan(500); // ~10 ms measured; the bound only catches pathological regressions
  });
});

describe("scanExpressions", () => {
  it("finds traversals, including inside function calls, indexes and nested strings", () => {
    const chains = scanExpressions('${element(azurerm_lb.lb[*].id, var.i)} and ${"x-${data.azurerm_client_config.c.tenant_id}"}');
    expect(chains.map((c) => c.text)).toEqual(["azurerm_lb.lb[*].id", "var.i", "data.azurerm_client_config.c.tenant_id"]);
  });

  it("ignores escaped templates, string literals, numbers and function names", () => {
    expect(scanExpressions('$${azurerm_lb.lb.id} ${replace("a.b.c", "x.y", "")} ${1e5 + length(local.x)}').map((c) => c.text)).toEqual(["local.x"]);
  });
});

describe("schemas/ subset", () => {
  const types = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, "types.json"), "utf8")) as {
    providers: Record<string, { source: string; version: string; resource_types: string[]; data_source_types: string[] }>;
  };

  it("holds exactly the types listed in schemas/types.json (run `node scripts/refresh-schemas.js` if not)", () => {
    const expectedFiles = Object.entries(types.providers)
      .map(([name, p]) => `${name}-${p.version}.subset.json`)
      .sort();
    expect(
      fs
        .readdirSync(SCHEMA_DIR)
        .filter((f) => f.endsWith(".subset.json"))
        .sort(),
    ).toEqual(expectedFiles);
    for (const p of Object.values(types.providers)) {
      const loaded = schemas.provider_schemas[p.source];
      expect(schemas.versions[p.source]).toBe(p.version);
      expect(Object.keys(loaded.resource_schemas ?? {}).sort()).toEqual([...p.resource_types].sort());
      expect(Object.keys(loaded.data_source_schemas ?? {}).sort()).toEqual([...p.data_source_types].sort());
      expect(loaded.provider?.block).toBeDefined();
    }
  });

  it("keeps subset files sorted and pretty-printed so diffs stay readable", () => {
    const sortDeep = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sortDeep)
        : v && typeof v === "object"
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sortDeep((v as any)[k])]),
            )
          : v;
    for (const f of fs.readdirSync(SCHEMA_DIR).filter((x) => x.endsWith(".subset.json"))) {
      const text = fs.readFileSync(path.join(SCHEMA_DIR, f), "utf8");
      expect(text).toBe(JSON.stringify(sortDeep(JSON.parse(text)), null, 2) + "\n");
    }
  });
});
