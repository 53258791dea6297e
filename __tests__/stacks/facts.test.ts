import * as fs from "fs";
import * as path from "path";
import { exampleConfig, exampleSynth } from "../helpers";
import { SIZE_PRESETS } from "../../config";
import { environmentFacts, FACTS_FILE } from "../../stacks/facts";

test("synth writes the facts the stacks were built from, and they match the stacks", () => {
  const { dir, stacks } = exampleSynth();
  const facts = JSON.parse(fs.readFileSync(path.join(dir, FACTS_FILE), "utf8"));
  expect(facts.stackOrder).toEqual(["core", "data", "edge", "app-weu", "app-neu"]);
  expect([...facts.stackOrder].sort()).toEqual(Object.keys(stacks).sort());
  expect(facts).toMatchObject({ environment: "ex", backend: { type: "local" }, appStacks: { primary: "app-weu", secondary: "app-neu" } });
  expect(facts.edge.plan).toBe("pro");
  // The monitor and the server parameter in the stacks are the facts' numbers, not a second derivation.
  const monitor: any = Object.values(stacks.edge.resource.cloudflare_load_balancer_monitor)[0];
  expect(monitor.interval).toBe(facts.edge.monitor.interval);
  const maxConnections = Object.values<any>(stacks.data.resource.azurerm_mysql_flexible_server_configuration).find((p) => p.name === "max_connections");
  expect(Number(maxConnections.value)).toBe(facts.sizing.mysqlMaxConnections);
  expect(facts.sharedFiles.syncIntervalSeconds).toBe(300);
});

test("facts follow the config and are derived once per config", () => {
  const config = exampleConfig((c) => (c.regions.secondary.shortName = "sec"));
  expect(environmentFacts(config)).toBe(environmentFacts(config));
  expect(environmentFacts(config).stackOrder.slice(3)).toEqual(["app-weu", "app-sec"]);
  // Sizing follows the preset: a medium environment's facts carry the medium database, not the example's.
  expect(environmentFacts(exampleConfig((c) => (c.size = "medium"))).sizing.mysqlSkuName).toBe(SIZE_PRESETS.medium.mysqlSkuName);
  expect(SIZE_PRESETS.medium.mysqlSkuName).not.toBe(environmentFacts(config).sizing.mysqlSkuName);
});
