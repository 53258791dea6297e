import { App, Aspects, TerraformStack } from "cdktf";
import { BlueprintConfig } from "../config";
import { CoreStack } from "./core-stack";
import { DataStack } from "./data-stack";
import { EdgeStack } from "./edge-stack";
import { AppStack } from "./app-stack";
import { REGION_KEYS, RegionKey } from "./core-stack";
import { BlueprintChecks } from "../policies/pack";
import { environmentFacts } from "./facts";

export interface Blueprint {
  readonly core: CoreStack;
  readonly data: DataStack;
  readonly edge: EdgeStack;
  /** `app-<shortName>` per region. */
  readonly apps: Record<RegionKey, AppStack>;
  /** The policy pack applied to every stack; its findings are read by tests. */
  readonly checks: BlueprintChecks;
}

/** Builds every stack of one environment and applies the policy pack to each. */
export function buildBlueprint(app: App, config: BlueprintConfig): Blueprint {
  const { appStacks } = environmentFacts(config);
  const core = new CoreStack(app, "core", { config });
  const data = new DataStack(app, "data", { config, core });
  const edge = new EdgeStack(app, "edge", { config, core });
  const apps = Object.fromEntries(
    REGION_KEYS.map((region) => [region, new AppStack(app, appStacks[region], { config, region, core, data, after: [data, edge] })]),
  ) as Record<RegionKey, AppStack>;
  const checks = new BlueprintChecks();
  // cdktf runs aspects from each stack down, so an aspect on the App would never run.
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) Aspects.of(stack).add(checks);
  return { core, data, edge, apps, checks };
}
