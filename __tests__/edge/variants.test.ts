import { exampleConfig } from "../helpers";
import { all, at, driftProblems, EdgeSynth, refOf, synthEdge } from "./synth-edge";
import { DRIFTING_ATTRIBUTES } from "../../modules/edge/provider-drift";
import { detectionSeconds, monitorTimingFor } from "../../modules/edge/plan-profile";
import { PROVIDER_STEERING } from "../../modules/edge/global-load-balancer";

type Variant = "free" | "proRandomNoLimit" | "businessLatency" | "enterpriseGeoCookie" | "enterpriseProximity";

const patches: Record<Variant, (c: any) => void> = {
  free: (c) => (c.cloudflare = { ...c.cloudflare, plan: "free", steeringPolicy: "failover" }),
  proRandomNoLimit: (c) => (c.cloudflare = { ...c.cloudflare, steeringPolicy: "random", loginRateLimit: false }),
  businessLatency: (c) =>
    (c.cloudflare = { ...c.cloudflare, plan: "business", trafficSteering: true, steeringPolicy: "dynamic_latency", monitorIntervalSeconds: 30 }),
  enterpriseGeoCookie: (c) => (c.cloudflare = { ...c.cloudflare, plan: "enterprise", steeringPolicy: "geo", sessionAffinity: "cookie" }),
  enterpriseProximity: (c) => (c.cloudflare = { ...c.cloudflare, plan: "enterprise", steeringPolicy: "proximity" }),
};

// One synth per variant, shared by the tests below.
const cache = new Map<Variant, EdgeSynth>();
const v = (name: Variant): EdgeSynth => {
  if (!cache.has(name)) cache.set(name, synthEdge(exampleConfig(patches[name])));
  return cache.get(name)!;
};
const lb = (name: Variant) => all(v(name).edge, "cloudflare_load_balancer")[0];
const monitor = (name: Variant) => all(v(name).edge, "cloudflare_load_balancer_monitor")[0];
const rulesets = (name: Variant, phase: string) => all(v(name).edge, "cloudflare_ruleset").filter((r) => r.phase === phase);
const poolRef = (name: Variant, key: string) => refOf(v(name).edge, "cloudflare_load_balancer_pool", `Pool-${key}/Resource`, "id");

describe("steering follows the config", () => {
  test("mapping: failover is the provider's 'off', the others pass through", () => {
    expect(PROVIDER_STEERING).toEqual({ failover: "off", random: "random", dynamic_latency: "dynamic_latency", geo: "geo", proximity: "proximity" });
  });

  test("random: even pool weights keyed by pool ID", () => {
    expect(lb("proRandomNoLimit").steering_policy).toBe("random");
    expect(lb("proRandomNoLimit").random_steering).toEqual({
      default_weight: 0.5,
      pool_weights: { [poolRef("proRandomNoLimit", "primary")]: 0.5, [poolRef("proRandomNoLimit", "secondary")]: 0.5 },
    });
  });

  test("dynamic_latency passes through and keeps the failover order", () => {
    expect(lb("businessLatency").steering_policy).toBe("dynamic_latency");
    expect(lb("businessLatency").default_pools).toEqual([poolRef("businessLatency", "primary"), poolRef("businessLatency", "secondary")]);
  });

  test("geo: each Cloudflare region goes to the nearer pool first", () => {
    const geo = lb("enterpriseGeoCookie");
    expect(geo.steering_policy).toBe("geo");
    const [p, s] = [poolRef("enterpriseGeoCookie", "primary"), poolRef("enterpriseGeoCookie", "secondary")];
    expect(geo.region_pools).toEqual({ WEU: [p, s], EEU: [s, p] });
  });

  test("proximity: pools carry their coordinates", () => {
    expect(lb("enterpriseProximity").steering_policy).toBe("proximity");
    const secondary = at(v("enterpriseProximity").edge, "cloudflare_load_balancer_pool", "Pool-secondary/Resource");
    expect([secondary.latitude, secondary.longitude]).toEqual([53.35, -6.26]);
  });

  test("failover and the other policies need no extra steering blocks", () => {
    expect(lb("free").steering_policy).toBe("off");
    for (const name of ["free", "businessLatency", "enterpriseProximity"] as const) {
      expect(lb(name).random_steering).toBeUndefined();
      expect(lb(name).region_pools).toBeUndefined();
    }
  });

  test("session affinity: none unless the config asks for a cookie", () => {
    expect(lb("free").session_affinity).toBe("none");
    expect(lb("enterpriseGeoCookie").session_affinity).toBe("cookie");
    expect(lb("enterpriseGeoCookie").session_affinity_attributes).toEqual({
      samesite: "Lax",
      secure: "Always",
      zero_downtime_failover: "temporary",
      drain_duration: 0,
      require_all_headers: false,
    });
  });
});

describe("monitor timing per plan", () => {
  test.each([
    ["free", 60, 5, 2, 1],
    ["businessLatency", 30, 5, 1, 2], // config interval above Business's 15 s floor
    ["enterpriseGeoCookie", 10, 3, 1, 2],
  ] as const)("%s: interval %d, timeout %d, retries %d, consecutive_down %d", (name, interval, timeout, retries, down) => {
    expect(monitor(name)).toMatchObject({ interval, timeout, retries, consecutive_down: down, consecutive_up: 2 });
  });

  test("worst-case detection at each plan's floor matches the derivation in docs/failover-budget.md", () => {
    expect(detectionSeconds(monitorTimingFor("pro")).worstTimeout).toBe(75);
    expect(detectionSeconds(monitorTimingFor("business")).worstTimeout).toBe(40);
    expect(detectionSeconds(monitorTimingFor("enterprise")).worstTimeout).toBe(26);
    expect(detectionSeconds(monitorTimingFor("pro"))).toEqual({ best: 0, worstFast: 60, worstTimeout: 75 });
  });

  test("an interval below the plan floor is refused", () => {
    expect(() => monitorTimingFor("business", 10)).toThrow(/below the 'business' plan floor of 15 s/);
  });

  test("the timeout always fits inside the interval", () => {
    for (const plan of ["free", "pro", "business", "enterprise"] as const) {
      const t = monitorTimingFor(plan);
      expect((t.retries + 1) * t.timeout).toBeLessThan(t.interval);
    }
  });
});

describe("rate limit and cache per plan", () => {
  test("Free: no login rate limit (its rules cannot match the query string)", () => {
    expect(rulesets("free", "http_ratelimit")).toEqual([]);
  });

  test("turned off in config: no rate limit", () => {
    expect(rulesets("proRandomNoLimit", "http_ratelimit")).toEqual([]);
  });

  test("Business and Enterprise: one login rule", () => {
    for (const name of ["businessLatency", "enterpriseGeoCookie"] as const) {
      const [rl] = rulesets(name, "http_ratelimit");
      expect(rl.rules).toHaveLength(1);
      expect(rl.rules[0].ratelimit.characteristics).toEqual(["cf.colo.id", "ip.src"]);
    }
  });

  test("tracker edge TTL is 300 s where the plan allows, else the plan's floor", () => {
    const ttl = (name: Variant) => rulesets(name, "http_request_cache_settings")[0].rules[0].action_parameters.edge_ttl.default;
    expect(ttl("free")).toBe(7200);
    expect(ttl("proRandomNoLimit")).toBe(3600);
    expect(ttl("businessLatency")).toBe(300);
    expect(ttl("enterpriseGeoCookie")).toBe(300);
  });

  test("every variant passes the policy pack", () => {
    for (const name of Object.keys(patches) as Variant[]) {
      expect(v(name).checks.findings.filter((f) => f.result === "NON_COMPLIANT")).toEqual([]);
    }
  });
});

describe("provider 5.x drift: a no-change plan stays empty in every variant", () => {
  test.each(Object.keys(patches) as Variant[])("%s", (name) => {
    const problems = [
      ...driftProblems("cloudflare_load_balancer", lb(name), DRIFTING_ATTRIBUTES.cloudflare_load_balancer),
      ...all(v(name).edge, "cloudflare_load_balancer_pool").flatMap((p) =>
        driftProblems("cloudflare_load_balancer_pool", p, DRIFTING_ATTRIBUTES.cloudflare_load_balancer_pool),
      ),
    ];
    expect(problems).toEqual([]);
  });

  test("steering blocks the config sets stay managed", () => {
    expect(lb("proRandomNoLimit").lifecycle.ignore_changes).not.toContain("random_steering");
    expect(lb("enterpriseGeoCookie").lifecycle.ignore_changes).not.toEqual(expect.arrayContaining(["region_pools"]));
    expect(lb("enterpriseGeoCookie").lifecycle.ignore_changes).not.toContain("session_affinity_attributes");
  });
});
