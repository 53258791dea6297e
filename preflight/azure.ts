import type { TokenCredential } from "@azure/identity";
import type { Provider, ResourceManagementClientOptionalParams } from "@azure/arm-resources";
import type { FeatureResult } from "@azure/arm-features";
import type { ResourceSku, Usage } from "@azure/arm-compute";
import type { CapabilityProperties } from "@azure/arm-mysql-flexible";

/** The HTTP client every Azure SDK client accepts in its options; tests pass one that answers from recorded responses. */
export type AzureHttpClient = NonNullable<ResourceManagementClientOptionalParams["httpClient"]>;

/** The read-only Azure Resource Manager calls the checks make. Each is made at most once per run. */
export interface AzureApi {
  providers(): Promise<Provider[]>;
  feature(namespace: string, name: string): Promise<FeatureResult>;
  /** Virtual machine SKUs offered to the subscription in `location`, with their restrictions. */
  vmSkus(location: string): Promise<ResourceSku[]>;
  computeUsages(location: string): Promise<Usage[]>;
  mysqlCapabilities(location: string): Promise<CapabilityProperties[]>;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Caches each call by its arguments, so checks that share a listing (SKUs for sizes and quota) fetch it once. */
export function memo<A extends string[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  const cache = new Map<string, Promise<R>>();
  return (...args: A) => {
    const key = args.join("\u0000");
    let hit = cache.get(key);
    if (!hit) {
      hit = fn(...args);
      cache.set(key, hit);
    }
    return hit;
  };
}

export function azureApi(credential: TokenCredential, subscriptionId: string, httpClient?: AzureHttpClient): AzureApi {
  // Recorded responses must not be retried with back-off; live calls keep the SDK's retries.
  const options = httpClient ? { httpClient, retryOptions: { maxRetries: 0 } } : {};
  // Loaded on first use: a run of the Key Vault check alone needs no Azure SDK.
  const { ResourceManagementClient } = require("@azure/arm-resources") as typeof import("@azure/arm-resources");
  const { FeatureClient } = require("@azure/arm-features") as typeof import("@azure/arm-features");
  const { ComputeManagementClient } = require("@azure/arm-compute") as typeof import("@azure/arm-compute");
  const { MySQLManagementFlexibleServerClient } = require("@azure/arm-mysql-flexible") as typeof import("@azure/arm-mysql-flexible");
  const resources = new ResourceManagementClient(credential, subscriptionId, options);
  const features = new FeatureClient(credential, subscriptionId, options);
  const compute = new ComputeManagementClient(credential, subscriptionId, options);
  const mysql = new MySQLManagementFlexibleServerClient(credential, subscriptionId, options);
  return {
    providers: memo(() => collect(resources.providers.list())),
    feature: memo((namespace, name) => features.features.get(namespace, name)),
    vmSkus: memo(async (location) =>
      (await collect(compute.resourceSkus.list({ filter: `location eq '${location}'` }))).filter((s) => s.resourceType === "virtualMachines"),
    ),
    computeUsages: memo((location) => collect(compute.usage.list(location))),
    mysqlCapabilities: memo((location) => collect(mysql.locationBasedCapabilities.list(location))),
  };
}
