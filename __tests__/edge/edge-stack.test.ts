import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";
import { LoadBalancerMonitor } from "@cdktf/provider-cloudflare/lib/load-balancer-monitor";
import { ZoneSetting } from "@cdktf/provider-cloudflare/lib/zone-setting";
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import { TlsProvider } from "@cdktf/provider-tls/lib/provider";
import * as fs from "fs";
import * as path from "path";
import { exampleSynth, TfJson } from "../helpers";
import { SECRET_NAMES } from "../../modules/common/secret-names";
import { loadProjectSchemas, validateTerraformJson, formatIssues } from "../../verify/schema/validator";
import { CLOUDFLARE_RULES } from "../../policies/rules/cloudflare";
import { all, at, driftProblems, inCore, refOf } from "./synth-edge";
import { POLICY_REPORT_FILE, PolicyFinding } from "../../policies/pack";
import { DRIFTING_ATTRIBUTES } from "../../modules/edge/provider-drift";
import { checkRateLimitExpression, expressionFields } from "../../modules/edge/plan-profile";
import { loginRequestExpression } from "../../modules/edge/edge-rules";
import { configFields } from "../../config/reference";

// The resource matchers used below; only this file needs them, so only it loads them.
Testing.setupJest();

const CF_RANGES = "${data.cloudflare_ip_ranges.CloudflareIpRanges.ipv4_cidrs}";
const HOST = "analytics.example.com";

// The run's shared synth of the example: core and edge as `npm run synth` writes them, and its policy report.
let s: { core: TfJson; edge: TfJson; findings: PolicyFinding[] };
beforeAll(() => {
  const { dir, stacks } = exampleSynth();
  s = { core: stacks.core, edge: stacks.edge, findings: JSON.parse(fs.readFileSync(path.join(dir, POLICY_REPORT_FILE), "utf8")).findings };
});
const edgeText = () => JSON.stringify(s.edge);
const pool = (key: "primary" | "secondary") => at(s.edge, "cloudflare_load_balancer_pool", `Pool-${key}/Resource`);
const poolRef = (key: "primary" | "secondary") => refOf(s.edge, "cloudflare_load_balancer_pool", `Pool-${key}/Resource`, "id");

describe("pools", () => {
  test("exactly one pool per Azure region", () => {
    expect(all(s.edge, "cloudflare_load_balancer_pool")).toHaveLength(2);
    expect(pool("primary").name).toBe("ctso-matomo-ex-weu-pool");
    expect(pool("secondary").name).toBe("ctso-matomo-ex-neu-pool");
    for (const k of ["primary", "secondary"] as const) expect(pool(k).name).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test.each(["primary", "secondary"] as const)("%s: its single origin is that region's inbound LB IP, with the Host header", (key) => {
    const p = pool(key);
    expect(p.origins).toHaveLength(1);
    const [origin] = p.origins;
    expect(inCore(s, origin.address)).toBe(refOf(s.core, "azurerm_public_ip", `Network-${key}/InboundPublicIp`, "ip_address"));
    expect(origin.header).toEqual({ host: [HOST] });
    expect(origin.enabled).toBe(true);
  });

  test("both pools use the monitor, need one healthy origin and probe from their own regions", () => {
    const monitorRef = refOf(s.edge, "cloudflare_load_balancer_monitor", "HealthMonitor/Resource", "id");
    for (const k of ["primary", "secondary"] as const) {
      expect(pool(k).monitor).toBe(monitorRef);
      expect(pool(k).minimum_origins).toBe(1);
    }
    expect(pool("primary").check_regions).toEqual(["WEU"]);
    expect(pool("secondary").check_regions).toEqual(["WEU", "EEU"]);
    expect([pool("primary").latitude, pool("primary").longitude]).toEqual([52.37, 4.9]);
  });
});

describe("monitor", () => {
  test("HTTPS /healthz with the host name, expecting 200, validating the certificate, at the Pro floor", () => {
    expect(JSON.stringify(s.edge)).toHaveResourceWithProperties(LoadBalancerMonitor, {
      account_id: "0123456789abcdef0123456789abcdef",
      type: "https",
      method: "GET",
      port: 443,
      path: "/healthz",
      header: { Host: [HOST] },
      expected_codes: "200",
      expected_body: "ok",
      allow_insecure: false,
      follow_redirects: false,
      probe_zone: "example.com",
      interval: 60,
      timeout: 5,
      retries: 2,
      consecutive_down: 1,
      consecutive_up: 2,
    });
    expect(all(s.edge, "cloudflare_load_balancer_monitor")).toHaveLength(1);
  });

  test("the plan is recorded for the failover report", () => {
    expect(all(s.edge, "cloudflare_load_balancer_monitor")[0].description).toContain("plan=pro");
  });
});

describe("load balancer", () => {
  test("proxied on the host name, primary then secondary, secondary as fallback, failover across pools", () => {
    const [lb] = all(s.edge, "cloudflare_load_balancer");
    expect(all(s.edge, "cloudflare_load_balancer")).toHaveLength(1);
    expect(lb.zone_id).toBe("fedcba9876543210fedcba9876543210");
    expect(lb.name).toBe(HOST);
    expect(lb.proxied).toBe(true);
    expect(lb.default_pools).toEqual([poolRef("primary"), poolRef("secondary")]);
    expect(lb.fallback_pool).toBe(poolRef("secondary"));
    expect(lb.steering_policy).toBe("off");
    expect(lb.session_affinity).toBe("none");
    expect(lb.adaptive_routing).toEqual({ failover_across_pools: true });
    expect(lb.ttl).toBeUndefined();
  });
});

describe("provider 5.x drift (terraform-provider-cloudflare#7339)", () => {
  test("the drift list names only optional+computed attributes of the 5.14 schema", () => {
    for (const [type, attrs] of Object.entries(DRIFTING_ATTRIBUTES)) {
      expect(driftProblems(type as keyof typeof DRIFTING_ATTRIBUTES, { lifecycle: { ignore_changes: [...attrs] } }, [])).toEqual([]);
    }
  });

  test("the load balancer ignores exactly the drifting attributes it leaves to Cloudflare", () => {
    const [lb] = all(s.edge, "cloudflare_load_balancer");
    expect(driftProblems("cloudflare_load_balancer", lb, DRIFTING_ATTRIBUTES.cloudflare_load_balancer)).toEqual([]);
    expect(lb.lifecycle.ignore_changes).toEqual([
      "session_affinity_ttl",
      "ttl",
      "country_pools",
      "networks",
      "pop_pools",
      "region_pools",
      "location_strategy",
      "random_steering",
      "session_affinity_attributes",
      "rules",
    ]);
  });

  test.each(["primary", "secondary"] as const)("%s pool ignores load shedding, notification filter and origin steering", (key) => {
    expect(driftProblems("cloudflare_load_balancer_pool", pool(key), DRIFTING_ATTRIBUTES.cloudflare_load_balancer_pool)).toEqual([]);
    expect(pool(key).lifecycle.ignore_changes).toEqual(["load_shedding", "notification_filter", "origin_steering"]);
  });

  test("the check catches the drift it is for", () => {
    const [lb] = all(s.edge, "cloudflare_load_balancer");
    expect(driftProblems("cloudflare_load_balancer", { ...lb, lifecycle: undefined }, ["country_pools"])).toEqual([
      "country_pools: drifts, not set and not ignored",
    ]);
    expect(driftProblems("cloudflare_load_balancer", { ...lb, lifecycle: { ignore_changes: ["adaptive_routing", "zone_name"] } }, [])).toEqual([
      "adaptive_routing: set by the blueprint but ignored (changes would never apply)",
      "zone_name: not optional+computed, ignore_changes has no effect",
    ]);
    expect(driftProblems("cloudflare_load_balancer", { session_affinity_attributes: { samesite: "Lax" } }, ["session_affinity_attributes"])).toContain(
      "session_affinity_attributes.drain_duration: computed field left unset",
    );
  });
});

describe("zone TLS", () => {
  test.each([
    ["ssl_automatic_mode", "custom"],
    ["ssl", "strict"],
    ["tls_client_auth", "on"],
    ["min_tls_version", "1.2"],
    ["tls_1_3", "on"],
    ["always_use_https", "on"],
    ["automatic_https_rewrites", "on"],
  ])("%s = %s", (settingId, value) => {
    expect(edgeText()).toHaveResourceWithProperties(ZoneSetting, { zone_id: "fedcba9876543210fedcba9876543210", setting_id: settingId, value });
  });

  test("Authenticated Origin Pulls is global (tls_client_auth), the shared certificate nginx trusts; no zone-level AOP", () => {
    expect(all(s.edge, "cloudflare_zone_setting").filter((z) => z.setting_id === "tls_client_auth")).toEqual([expect.objectContaining({ value: "on" })]);
    expect(s.edge.resource.cloudflare_authenticated_origin_pulls_settings).toBeUndefined();
  });

  test("Full (strict) is written only after automatic SSL/TLS mode is off", () => {
    const ssl = all(s.edge, "cloudflare_zone_setting").find((z) => z.setting_id === "ssl");
    const auto = refOf(s.edge, "cloudflare_zone_setting", "ZoneTls/SslAutomaticMode", "id").replace(/^\$\{(.*)\.id\}$/, "$1");
    expect(ssl.depends_on).toEqual([auto]);
  });
});

describe("origin lock", () => {
  const nsgRules = (stack: any) => all(stack, "azurerm_network_security_rule");

  test("one rule per region: 443 from the Cloudflare data source to the frontends subnet", () => {
    const rules = nsgRules(s.edge);
    expect(rules).toHaveLength(2);
    const byNsg = (key: string) =>
      rules.find(
        (r) => inCore(s, r.network_security_group_name) === refOf(s.core, "azurerm_network_security_group", `Network-${key}/Subnet-frontends/Nsg`, "name"),
      );
    expect(byNsg("primary").destination_address_prefix).toBe("10.20.0.0/22");
    expect(byNsg("secondary").destination_address_prefix).toBe("10.30.0.0/22");
    for (const r of rules) {
      expect(r).toMatchObject({ direction: "Inbound", access: "Allow", protocol: "Tcp", destination_port_range: "443", source_address_prefixes: CF_RANGES });
      expect(r.source_address_prefix).toBeUndefined();
      expect(r.priority).toBeLessThan(4096);
      expect(r.priority).not.toBe(200);
    }
  });

  test("the Cloudflare ranges come from the provider's data source, not a copied list", () => {
    expect(s.edge.data.cloudflare_ip_ranges.CloudflareIpRanges).toBeDefined();
    const literalCidrs = nsgRules(s.edge).flatMap(
      (r) => JSON.stringify({ ...r, destination_address_prefix: undefined }).match(/\d+\.\d+\.\d+\.\d+\/\d+/g) ?? [],
    );
    expect(literalCidrs).toEqual([]);
  });

  test("IPv4 only: no IPv6 rule, since the Azure LB frontend has no IPv6 address", () => {
    expect(edgeText()).not.toContain("ipv6_cidrs");
  });

  test("frontends accept inbound traffic only from Cloudflare's ranges and the Azure LB probe", () => {
    for (const key of ["primary", "secondary"]) {
      const frontendsNsg = refOf(s.core, "azurerm_network_security_group", `Network-${key}/Subnet-frontends/Nsg`, "name");
      const allows = [...nsgRules(s.core), ...nsgRules(s.edge)].filter(
        (r) => inCore(s, r.network_security_group_name) === frontendsNsg && r.direction === "Inbound" && r.access === "Allow",
      );
      const sources = allows.map((r) => r.source_address_prefix ?? r.source_address_prefixes).sort();
      expect(sources).toEqual(["AzureLoadBalancer", CF_RANGES].sort());
    }
  });
});

describe("origin certificate", () => {
  test("ECDSA P-256 key, CSR for the host name, Origin CA ECC certificate, 15 years, issued before the old one is revoked", () => {
    expect(all(s.edge, "tls_private_key")).toEqual([expect.objectContaining({ algorithm: "ECDSA", ecdsa_curve: "P256" })]);
    const [csr] = all(s.edge, "tls_cert_request");
    expect(csr.subject).toEqual([{ common_name: HOST }]);
    expect(csr.dns_names).toEqual([HOST]);
    const [cert] = all(s.edge, "cloudflare_origin_ca_certificate");
    expect(cert).toMatchObject({ hostnames: [HOST], request_type: "origin-ecc", requested_validity: 5475, lifecycle: { create_before_destroy: true } });
    expect(cert.csr).toBe(refOf(s.edge, "tls_cert_request", "OriginCertificate/CertRequest", "cert_request_pem"));
  });

  test("both PEMs go to Key Vault under the names cloud-init reads", () => {
    const secrets = all(s.edge, "azurerm_key_vault_secret");
    expect(secrets.map((x) => x.name).sort()).toEqual([SECRET_NAMES.originCertificate, SECRET_NAMES.originPrivateKey].sort());
    for (const x of secrets) {
      expect(x.content_type).toBe("application/x-pem-file");
      expect(inCore(s, x.key_vault_id)).toBe(refOf(s.core, "azurerm_key_vault", "KeyVault/Resource", "id"));
    }
    const cert = secrets.find((x) => x.name === SECRET_NAMES.originCertificate);
    expect(cert.value).toBe(refOf(s.edge, "cloudflare_origin_ca_certificate", "OriginCertificate/Certificate", "certificate"));
    const key = secrets.find((x) => x.name === SECRET_NAMES.originPrivateKey);
    expect(key.value).toBe(refOf(s.edge, "tls_private_key", "OriginCertificate/PrivateKey", "private_key_pem_pkcs8"));
  });

  test("only the two frontend identities may read them, each secret on its own", () => {
    const frontends = ["primary", "secondary"]
      .map((k) => refOf(s.core, "azurerm_user_assigned_identity", `FrontendIdentity-${k}/Resource`, "principal_id"))
      .sort();
    const grants = all(s.edge, "azurerm_role_assignment");
    expect(grants).toHaveLength(4);
    for (const secret of ["CertificateSecret", "PrivateKeySecret"]) {
      const scope = refOf(s.edge, "azurerm_key_vault_secret", `OriginCertificate/${secret}/Resource`, "resource_versionless_id");
      const readers = grants.filter((g) => g.scope === scope);
      expect(readers.map((g) => g.role_definition_name)).toEqual(["Key Vault Secrets User", "Key Vault Secrets User"]);
      expect(readers.map((g) => inCore(s, g.principal_id)).sort()).toEqual(frontends);
    }
  });
});

describe("secrets stay out of outputs", () => {
  test("the edge stack has no outputs", () => {
    expect(s.edge.output).toBeUndefined();
  });

  test("no output of any stack carries key material or a secret value", () => {
    for (const stack of [s.core, s.edge]) {
      for (const out of Object.values<any>(stack.output ?? {})) {
        expect(String(out.value)).not.toMatch(/tls_private_key|tls_cert_request|origin_ca_certificate|key_vault_secret|random_password/);
      }
    }
  });

  test("the Cloudflare provider takes its token from CLOUDFLARE_API_TOKEN, not from the code", () => {
    expect(edgeText()).toHaveProvider(CloudflareProvider);
    expect(edgeText()).toHaveProvider(TlsProvider);
    expect(s.edge.provider.cloudflare).toEqual([{}]);
  });
});

describe("rules", () => {
  const rulesets = () => all(s.edge, "cloudflare_ruleset");
  const phase = (p: string) => rulesets().filter((r) => r.phase === p);

  test("cache rule: tracker JS cached at the edge, tracking and UI bypassed, one host only", () => {
    const [cache] = phase("http_request_cache_settings");
    expect(cache.kind).toBe("zone");
    const [tracker, bypass] = cache.rules;
    expect(tracker.expression).toContain('"/matomo.js" "/piwik.js"');
    expect(tracker.expression).toContain(`http.host eq "${HOST}"`);
    expect(tracker.action_parameters).toEqual({
      cache: true,
      edge_ttl: { mode: "override_origin", default: 3600 }, // Pro's floor (300 s wanted)
      browser_ttl: { mode: "respect_origin" },
    });
    expect(bypass.action_parameters).toEqual({ cache: false });
    expect(bypass.expression).toContain(`http.host eq "${HOST}" and not (`);
    expect(tracker.expression).not.toMatch(/matomo\.php|piwik\.php/);
  });

  test("login rate limit on Pro: query match, IP per data centre, within Pro's limits", () => {
    const [rl] = phase("http_ratelimit");
    expect(rl.rules).toHaveLength(1);
    expect(rl.rules[0].expression).toBe(`(http.host eq "${HOST}" and http.request.uri.query contains "module=Login")`);
    // What it protects, said where operators read it: the query string, not a POST body.
    expect(expressionFields(rl.rules[0].expression)).toEqual(["http.host", "http.request.uri.query"]);
    expect(rl.rules[0].description).toContain("not module=Login in a POST body");
    expect(rl.rules[0].ratelimit).toEqual({ characteristics: ["cf.colo.id", "ip.src"], period: 60, requests_per_period: 10, mitigation_timeout: 600 });
    expect(rl.rules[0].ratelimit.period).toBeLessThanOrEqual(60);
    expect(rl.rules[0].ratelimit.mitigation_timeout).toBeLessThanOrEqual(3600);
  });
});

describe("login rate limit: fields the plan offers (Cloudflare rate limiting features by plan)", () => {
  const bodyMatch = `(http.host eq "${HOST}" and any(http.request.body.form["module"][*] == "Login"))`;

  test("the query-string rule fits every plan that gets one", () => {
    for (const plan of ["pro", "business", "enterprise"] as const) {
      expect(() => checkRateLimitExpression(plan, "matomo_login", loginRequestExpression(HOST))).not.toThrow();
    }
  });

  test.each(["free", "pro", "business", "enterprise"] as const)("a POST-body match is rejected on %s, naming the field, the plan and the source", (plan) => {
    expect(() => checkRateLimitExpression(plan, "matomo_login", bodyMatch)).toThrow(
      new RegExp(
        `'http\\.request\\.body\\.form'.*'${plan}' Cloudflare plan.*Advanced Rate Limiting.*https://developers\\.cloudflare\\.com/learning-paths/application-security/rate-limiting/features/`,
      ),
    );
  });

  test("per-plan fields: method from Business, host from Pro; string literals are not fields", () => {
    const byMethod = `(http.request.method eq "POST" and http.request.uri.path eq "/index.php")`;
    expect(() => checkRateLimitExpression("pro", "r", byMethod)).toThrow(/'http\.request\.method'.*'pro'/);
    expect(() => checkRateLimitExpression("business", "r", byMethod)).not.toThrow();
    expect(() => checkRateLimitExpression("free", "r", loginRequestExpression(HOST))).toThrow(/'http\.host', 'http\.request\.uri\.query'.*'free'/);
    expect(expressionFields(`http.host eq "ip.src.example" and http.request.uri.path eq "/cf.x"`)).toEqual(["http.host", "http.request.uri.path"]);
  });

  test("the config field says what the rule covers and what it does not", () => {
    const field = configFields().find((f) => f.field === "cloudflare.loginRateLimit")!;
    expect(field.description).toMatch(/`module=Login` in the query string/);
    expect(field.description).toMatch(/POST body is not counted/);
  });
});

describe("verification", () => {
  test("the edge stack is valid against the provider schemas", () => {
    const issues = validateTerraformJson(s.edge, loadProjectSchemas()).filter((i) => i.severity !== "warning");
    expect(formatIssues(issues)).toBe(formatIssues([]));
  });

  test("every Cloudflare rule ran on the edge stack and passed", () => {
    const findings = s.findings.filter((f) => f.path.startsWith("edge/"));
    expect(findings.filter((f) => f.result === "NON_COMPLIANT")).toEqual([]);
    const passed = new Set(findings.filter((f) => f.result === "COMPLIANT").map((f) => f.ruleId));
    expect(CLOUDFLARE_RULES.map((r) => r.id).filter((id) => !passed.has(id))).toEqual([]);
  });
});

describe("construct IDs", () => {
  // Renaming one replaces the resource: a new key and certificate (rotation on every VM), or new pool IDs
  // under the live load balancer. Change only with a `moved` block (docs/adr/0002-stacks-and-construct-ids.md).
  const PINNED: Record<string, Record<string, string>> = {
    tls_private_key: { "edge/OriginCertificate/PrivateKey": "OriginCertificate_PrivateKey_91390D5C" },
    tls_cert_request: { "edge/OriginCertificate/CertRequest": "OriginCertificate_CertRequest_01A1C274" },
    cloudflare_origin_ca_certificate: { "edge/OriginCertificate/Certificate": "OriginCertificate_41DA1E95" },
    azurerm_key_vault_secret: {
      "edge/OriginCertificate/CertificateSecret/Resource": "OriginCertificate_CertificateSecret_119452D1",
      "edge/OriginCertificate/PrivateKeySecret/Resource": "OriginCertificate_PrivateKeySecret_7E68587B",
    },
    cloudflare_load_balancer_monitor: { "edge/HealthMonitor/Resource": "HealthMonitor_5F362362" },
    cloudflare_load_balancer_pool: {
      "edge/Pool-primary/Resource": "Pool-primary_0E7419AE",
      "edge/Pool-secondary/Resource": "Pool-secondary_ABD7C2C6",
    },
    cloudflare_load_balancer: { "edge/LoadBalancer/Resource": "LoadBalancer_BE9EEC3A" },
  };

  test.each(Object.keys(PINNED))("%s keeps its logical IDs", (type) => {
    const ids = Object.fromEntries(Object.entries<any>(s.edge.resource[type]).map(([id, r]) => [r["//"].metadata.path, id]));
    expect(ids).toEqual(PINNED[type]);
  });
});
