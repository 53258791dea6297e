import { planResource, applyResource, readResource, replacePaths, readDataSource } from "../../verify/offline-terraform/standin";
import { blockShape, fromMsgpack, toMsgpack, UNKNOWN, Value } from "../../verify/offline-terraform/values";
import { deployOrder, findSecrets, formatTable, judge, STATEFUL_TYPES } from "../../verify/offline-terraform/run";
import { generatedSecrets, openEphemeral, replaceTableProblems } from "../../verify/offline-terraform/standin";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Scenario } from "../../verify/offline-terraform/scenarios";
import type { SchemaBlock } from "../../verify/schema/validator";
import { parsePlanOutput } from "../../verify/offline-terraform/terraform";

const { scan } = require("../../scripts/refresh-replace-table.js");

const server: SchemaBlock = {
  attributes: {
    id: { type: "string", computed: true },
    name: { type: "string", required: true },
    fqdn: { type: "string", computed: true },
    create_mode: { type: "string", optional: true },
    source_server_id: { type: "string", optional: true },
    replication_role: { type: "string", optional: true, computed: true },
    resource_group_name: { type: "string", required: true },
    administrator_password_wo: { type: "string", optional: true, write_only: true },
    value: { type: "dynamic", optional: true },
  },
  block_types: { storage: { nesting_mode: "list", max_items: 1, block: { attributes: { size_gb: { type: "number", optional: true, computed: true } } } } },
};
const table = { azurerm_mysql_flexible_server: ["name", "create_mode", "source_server_id", "storage.size_gb"] };
const cfg = (over: Record<string, Value> = {}): Record<string, Value> => ({
  id: null,
  name: "db",
  fqdn: null,
  create_mode: null,
  source_server_id: null,
  replication_role: null,
  resource_group_name: "rg",
  administrator_password_wo: "pw-only-in-config",
  value: null,
  storage: [{ size_gb: 64 }],
  ...over,
});

describe("wire values", () => {
  test("msgpack round trip keeps unknowns, dynamic values and fills missing attributes with null", () => {
    const shape = blockShape(server);
    const v = cfg({ id: UNKNOWN, value: { dynType: ["list", "string"], value: ["a"] } });
    delete (v as Record<string, Value>).fqdn;
    const back = fromMsgpack(toMsgpack(v, shape), shape) as Record<string, Value>;
    expect(back.id).toBe(UNKNOWN);
    expect(back.fqdn).toBeNull();
    expect(back.value).toEqual({ dynType: ["list", "string"], value: ["a"] });
  });
});

describe("plan", () => {
  test("create: computed values unknown, write-only values dropped, nothing to replace", () => {
    const { planned, requiresReplace } = planResource(table, "azurerm_mysql_flexible_server", server, null, cfg(), cfg());
    expect(planned).toMatchObject({ id: UNKNOWN, fqdn: UNKNOWN, replication_role: UNKNOWN, name: "db", administrator_password_wo: null });
    expect(requiresReplace).toEqual([]);
  });

  test("a change of a replace-on-change attribute is flagged with its path; other changes are not", () => {
    const prior = cfg({ id: "x", fqdn: "db.example", administrator_password_wo: null });
    expect(replacePaths(table, "azurerm_mysql_flexible_server", prior, cfg({ id: "x", name: "db2" }))).toEqual([["name"]]);
    expect(replacePaths(table, "azurerm_mysql_flexible_server", prior, cfg({ id: "x", storage: [{ size_gb: 128 }] }))).toEqual([["storage", 0, "size_gb"]]);
    expect(replacePaths(table, "azurerm_mysql_flexible_server", prior, cfg({ id: "x", replication_role: "None" }))).toEqual([]);
  });

  test("apply: Azure-shaped deterministic ID, computed values filled, write-only null", () => {
    const { planned } = planResource(table, "azurerm_mysql_flexible_server", server, null, cfg(), cfg());
    const a = applyResource("azurerm_mysql_flexible_server", server, planned, "sub-1") as Record<string, Value>;
    expect(a.id).toBe("/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.DBforMySQL/flexibleServers/db");
    expect(a.fqdn).toBe("db.mysql.database.azure.com");
    expect(a.administrator_password_wo).toBeNull();
    expect(applyResource("azurerm_mysql_flexible_server", server, planned, "sub-1")).toEqual(a);
  });

  test("refresh: a promoted replica reads back without source and create mode; a replica keeps them", () => {
    const replica = cfg({ create_mode: "Replica", source_server_id: "/s/1" });
    expect(readResource("azurerm_mysql_flexible_server", replica)).toEqual(replica);
    expect(readResource("azurerm_mysql_flexible_server", { ...replica, replication_role: "None" })).toMatchObject({ source_server_id: "", create_mode: "" });
  });

  test("data sources answer from fixtures", () => {
    const block: SchemaBlock = { attributes: { tenant_id: { type: "string", computed: true }, subscription_id: { type: "string", computed: true } } };
    expect(
      readDataSource("azurerm_client_config", block, {}, { azurerm_client_config: { tenant_id: "t", subscription_id: "{subscription}" } }, "sub-9"),
    ).toEqual({ tenant_id: "t", subscription_id: "sub-9" });
  });
});

describe("runner", () => {
  const plan = (lines: object[], code = 2) => parsePlanOutput({ code, stdout: lines.map((l) => JSON.stringify(l)).join("\n"), stderr: "" });
  const change = (addr: string, type: string, action: string) => ({ type: "planned_change", change: { resource: { addr, resource_type: type }, action } });
  const safe: Scenario = { name: "s", change: (i) => i, expect: "safe", only: [/^data:azurerm_monitor_metric_alert\./] };
  const dangerous: Scenario = { name: "d", change: (i) => i, expect: "dangerous" };

  test("deploy order follows the manifest's dependencies: core, data, edge, then the app stacks", () => {
    expect(
      deployOrder({
        stacks: { "app-a": { dependencies: ["data", "edge"] }, edge: { dependencies: ["core"] }, data: { dependencies: ["core"] }, core: { dependencies: [] } },
      }),
    ).toEqual(["core", "data", "edge", "app-a"]);
  });

  test("a safe scenario passes with allowed updates and fails on a stateful replacement or an unexpected change", () => {
    const ok = [{ stack: "data", plan: plan([change("azurerm_monitor_metric_alert.a", "azurerm_monitor_metric_alert", "update")]), replaced: [] }];
    expect(judge(safe, ok, {}).passed).toBe(true);
    const replaced = [
      {
        stack: "data",
        plan: plan([change("azurerm_mysql_flexible_server.s", "azurerm_mysql_flexible_server", "replace")]),
        replaced: ["azurerm_mysql_flexible_server db (name)"],
      },
    ];
    expect(judge(safe, replaced, {})).toMatchObject({ passed: false, detail: expect.stringContaining("stateful replacement") });
    const other = [{ stack: "app-a", plan: plan([change("azurerm_lb.l", "azurerm_lb", "update")]), replaced: [] }];
    expect(judge(safe, other, {})).toMatchObject({ passed: false, detail: expect.stringContaining("unexpected") });
  });

  test("deleting a delete lock counts as stateful (it leaves the database deletable); forgetting it does not", () => {
    const lock = (action: string) => [{ stack: "data", plan: plan([change("azurerm_management_lock.l", "azurerm_management_lock", action)]), replaced: [] }];
    const allowLock: Scenario = { ...safe, only: [/^data:azurerm_management_lock\./] };
    expect(judge(allowLock, lock("delete"), {})).toMatchObject({ passed: false, detail: expect.stringContaining("data:azurerm_management_lock.l delete") });
    expect(judge(allowLock, lock("remove"), {}).passed).toBe(true);
  });

  test("a dangerous scenario passes only when the replacement is caught (planned or blocked by prevent_destroy)", () => {
    const blocked = [
      {
        stack: "data",
        plan: plan(
          [{ type: "diagnostic", diagnostic: { severity: "error", summary: "Instance cannot be destroyed", address: "azurerm_mysql_flexible_server.s" } }],
          1,
        ),
        replaced: [],
      },
    ];
    expect(judge(dangerous, blocked, {}).passed).toBe(true);
    const detailOnly = [
      {
        stack: "data",
        plan: plan(
          [
            {
              type: "diagnostic",
              diagnostic: {
                severity: "error",
                summary: "Instance cannot be destroyed",
                detail: "Resource azurerm_mysql_flexible_server.r has lifecycle.prevent_destroy set",
              },
            },
          ],
          1,
        ),
        replaced: [],
      },
    ];
    expect(judge(dangerous, detailOnly, {}).detail).toContain("data:azurerm_mysql_flexible_server.r blocked by prevent_destroy");
    expect(judge(dangerous, [{ stack: "data", plan: plan([]), replaced: [] }], {}).passed).toBe(false);
    expect(STATEFUL_TYPES.has("azurerm_mysql_flexible_server")).toBe(true);
  });
});

describe("the printed table's secret row", () => {
  const table = (secretsInState: string[], generatedSecrets: number) =>
    formatTable({ ok: true, results: [], secretsInState, generatedSecrets, seconds: 1 }).split("\n").pop();
  test("passes when values were generated and none is in state", () => {
    expect(table([], 4)).toMatch(/^PASS .*none of the 4 generated values/);
  });
  test("fails when a state file holds one, or when nothing was generated (the check would be vacuous)", () => {
    expect(table(["data.tfstate: 3 generated value(s)"], 4)).toMatch(/^FAIL .*data.tfstate/);
    expect(table([], 0)).toMatch(/^FAIL .*nothing to check/);
  });
});

test("state files are searched for every value an ephemeral password produced", () => {
  const block: SchemaBlock = { attributes: { length: { type: "number", required: true }, result: { type: "string", computed: true, sensitive: true } } };
  const opened = openEphemeral("random_password", block, { length: 24, result: null }, "test#1") as Record<string, Value>;
  expect(String(opened.result)).toHaveLength(24);
  expect(generatedSecrets.has(String(opened.result))).toBe(true);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "state-"));
  try {
    fs.writeFileSync(path.join(dir, "clean.tfstate"), JSON.stringify({ resources: [] }));
    expect(findSecrets(dir)).toEqual([]);
    fs.writeFileSync(path.join(dir, "leaky.tfstate"), JSON.stringify({ value: opened.result }));
    expect(findSecrets(dir)).toEqual(["leaky.tfstate: 1 generated value(s)"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe("the committed replace-on-change table", () => {
  const types = require("../../schemas/types.json");

  const table = require("../../verify/offline-terraform/replace-on-change.json");
  test("covers every resource type of schemas/types.json, read at the pinned tags", () => {
    expect(replaceTableProblems(types, table)).toEqual([]);
    expect(table.resources.azurerm_mysql_flexible_server).toEqual(expect.arrayContaining(["name", "create_mode", "source_server_id"]));
  });
  test("reports a missing type and a version bump without a refresh", () => {
    const bumped = { providers: { ...types.providers, azurerm: { ...types.providers.azurerm, version: "4.56.0", resource_types: ["azurerm_new_thing"] } } };
    expect(replaceTableProblems(bumped, table)).toEqual([
      "azurerm: table read from v4.55.0, types.json pins v4.56.0 (run scripts/refresh-replace-table.js, docs/offline-plan.md)",
      "azurerm_new_thing: not in the table (run scripts/refresh-replace-table.js, docs/offline-plan.md)",
    ]);
  });
});

describe("replace-on-change extraction", () => {
  test("finds ForceNew and RequiresReplace under their keys, conditional ones apart, and ignores others", () => {
    const go = `
      "name": {
        Type: pluginsdk.TypeString, // ForceNew: true in a comment is ignored
        ForceNew: true,
      },
      "location": commonschema.Location(),
      "storage": {
        Elem: &pluginsdk.Resource{ Schema: map[string]*pluginsdk.Schema{
          "size_gb": { Type: pluginsdk.TypeInt, Optional: true },
          "iops": { Type: pluginsdk.TypeInt, ForceNew: true },
        }},
      },
      "zone_id": schema.StringAttribute{ PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()} },
      "tags": commonschema.Tags(),
      pluginsdk.ForceNewIfChange("storage.0.size_gb", shrink)`;
    const r = scan(go, (_pkg: string, fn: string) => (fn === "Location" ? [""] : []));
    expect([...r.always].sort()).toEqual(["location", "name", "storage.iops", "zone_id"]);
    expect([...r.conditional]).toEqual(["storage.size_gb"]);
  });
});

test("the replace-on-change table is in its generator's layout, so `refresh-replace-table.js --check` can pass", () => {
  const file = path.join(__dirname, "../../verify/offline-terraform/replace-on-change.json");
  const text = fs.readFileSync(file, "utf8");
  expect(text).toBe(JSON.stringify(JSON.parse(text), null, 2) + "\n");
});
