import { BlueprintConfig } from "../config";
import { CloudflarePlan } from "../config/schema";
import { ResolvedSizing, resolveSizing } from "../modules/common/sizing";
import { MonitorTiming, monitorTimingFor } from "../modules/edge/plan-profile";
import { CRON_JOBS, CronJob } from "../modules/cloud-init";

/** Where synth writes the facts, inside its output folder. */
export const FACTS_FILE = "facts.json";

/**
 * What follows from one environment's config, derived once: the stacks build
 * from it, and synth writes it to `cdktf.out/facts.json`, which `npm run report`
 * and the workflows read instead of deriving it again or parsing it back out of
 * resource attributes.
 */
export interface EnvironmentFacts {
  readonly environment: string;
  /** Stack IDs in the order they are applied (core, data, edge, then the primary region's app stack). */
  readonly stackOrder: readonly string[];
  /** The app stack of each region. */
  readonly appStacks: { readonly primary: string; readonly secondary: string };
  /** Where Terraform keeps state (no secrets: names only). */
  readonly backend: BlueprintConfig["backend"];
  readonly azure: { readonly tenantId: string; readonly subscriptionId: string };
  /** Sizes after the preset and the overrides, with the connection budget. */
  readonly sizing: ResolvedSizing;
  /** Cloudflare plan and the health monitor's timing on it. */
  readonly edge: { readonly plan: CloudflarePlan; readonly monitor: MonitorTiming };
  /** How often the archiver copies the shared set to the other region's share: the shared files' RPO there. */
  readonly sharedFiles: { readonly syncIntervalSeconds: number };
}

const cache = new WeakMap<BlueprintConfig, EnvironmentFacts>();

/** The facts of a config; the same object for every stack built from it. */
export function environmentFacts(config: BlueprintConfig): EnvironmentFacts {
  let facts = cache.get(config);
  if (!facts) {
    const appStacks = { primary: `app-${config.regions.primary.shortName}`, secondary: `app-${config.regions.secondary.shortName}` };
    facts = {
      environment: config.environment,
      stackOrder: ["core", "data", "edge", appStacks.primary, appStacks.secondary],
      appStacks,
      backend: config.backend,
      azure: { tenantId: config.azure.tenantId, subscriptionId: config.azure.subscriptionId },
      sizing: resolveSizing(config),
      edge: { plan: config.cloudflare.plan, monitor: monitorTimingFor(config.cloudflare.plan, config.cloudflare.monitorIntervalSeconds) },
      sharedFiles: { syncIntervalSeconds: shareSyncIntervalSeconds() },
    };
    cache.set(config, facts);
  }
  return facts;
}

/** Seconds between copies of the shared set to the other region, from the archiver's cron. */
export function shareSyncIntervalSeconds(jobs: readonly CronJob[] = CRON_JOBS): number {
  const job = jobs.find((j) => j.name === "share-sync");
  const minutes = job ? /^\*\/(\d+) /.exec(job.schedule)?.[1] : undefined;
  if (!minutes)
    throw new Error(
      `share-sync cron schedule '${job?.schedule ?? "(no share-sync job)"}' must run every N minutes: set it to '*/N * * * *' in CRON_JOBS (modules/cloud-init/constants.ts)`,
    );
  return Number(minutes) * 60;
}
