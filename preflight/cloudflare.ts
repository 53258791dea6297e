import type { Zone } from "cloudflare/resources/zones/zones";
import type { Subscription } from "cloudflare/resources/shared";
import { memo } from "./azure";

/** The `fetch` the Cloudflare SDK accepts; tests pass one that answers from recorded responses. */
export type CloudflareFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The read-only Cloudflare API calls the checks make, each at most once per run. */
export interface CloudflareApi {
  zone(zoneId: string): Promise<Zone>;
  accountSubscriptions(accountId: string): Promise<Subscription[]>;
  /** Load Balancing regions: `{ regions: [{ region_code, countries }] }`. */
  loadBalancingRegions(accountId: string): Promise<unknown>;
}

export function cloudflareApi(apiToken: string, fetch?: CloudflareFetch): CloudflareApi {
  // Loaded on first use, like the Azure SDK. Only the token: the SDK would otherwise also pick up key/e-mail credentials or another base URL from the environment.
  const { default: Cloudflare } = require("cloudflare") as typeof import("cloudflare");
  const client = new Cloudflare({
    apiToken,
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    baseURL: "https://api.cloudflare.com/client/v4",
    ...(fetch ? { fetch, maxRetries: 0 } : {}),
  });
  return {
    zone: memo((zone_id) => client.zones.get({ zone_id })),
    accountSubscriptions: memo(async (account_id) => {
      const out: Subscription[] = [];
      for await (const s of client.accounts.subscriptions.get({ account_id })) out.push(s);
      return out;
    }),
    loadBalancingRegions: memo((account_id) => client.loadBalancers.regions.list({ account_id })),
  };
}
