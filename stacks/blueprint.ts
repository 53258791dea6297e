import { App, Aspects } from "cdktf";
import { BlueprintConfig } from "../config";
import { CoreStack } from "./core-stack";
import { DataStack } from "./data-stack";
import { BlueprintChecks } from "../policies/pack";

export interface Blueprint {
  readonly core: CoreStack;
  readonly data: DataStack;
}

/** Builds every stack of one environment and applies the policy pack. */
export function buildBlueprint(app: App, config: BlueprintConfig): Blueprint {
  const core = new CoreStack(app, "core", { config });
  const data = new DataStack(app, "data", { config, core });
  Aspects.of(app).add(new BlueprintChecks());
  return { core, data };
}
