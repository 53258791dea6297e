import type { ResourceSku } from "@azure/arm-compute";
import { KNOWN_VM_SKUS, type BlueprintConfig } from "../config";
import { resolveSizing } from "../modules/common/sizing";

export type RegionKey = "primary" | "secondary";
export const REGIONS: readonly RegionKey[] = ["primary", "secondary"];

/** A VM size the stacks deploy in a region, with how many instances of it can run there at once. */
export interface VmNeed {
  readonly role: "frontends" | "archiver";
  readonly sku: string;
  /** Config field that chooses the size. */
  readonly field: string;
  /** Most instances at once (quota); 0 where the size must only be offered (failover target). */
  readonly count: number;
  /** How `count` comes about, for messages ("" when it needs no explaining). */
  readonly countReason: string;
}

/**
 * Sizes per region. The archiver runs in the primary region only, but the secondary must offer its size too:
 * after a region failover the secondary becomes the primary (docs/runbooks/region-failover.md).
 */
export function vmNeeds(config: BlueprintConfig, region: RegionKey): VmNeed[] {
  const s = resolveSizing(config);
  const surge = s.maxFrontendsDuringRollout - s.maxInstances;
  return [
    {
      role: "frontends",
      sku: s.frontendVmSku,
      field: config.frontends.vmSku ? "frontends.vmSku" : "frontends.vmSku or size",
      count: s.maxFrontendsDuringRollout,
      countReason: surge > 0 ? `${s.maxInstances} max instances + ${surge} surge` : `${s.maxInstances} max instances`,
    },
    {
      role: "archiver",
      sku: s.archiverVmSku,
      field: "size",
      count: region === "primary" ? 1 : 0,
      countReason: "",
    },
  ];
}

export function findSku(skus: readonly ResourceSku[], name: string): ResourceSku | undefined {
  return skus.find((s) => s.name?.toLowerCase() === name.toLowerCase());
}

export function vcpusOf(sku: ResourceSku | undefined, name: string): number | undefined {
  const cap = sku?.capabilities?.find((c) => c.name === "vCPUs")?.value;
  const n = cap === undefined ? NaN : Number(cap);
  return Number.isFinite(n) ? n : KNOWN_VM_SKUS[name]?.vcpus;
}

/** Why `sku` cannot be placed in `zone` of `location`, or undefined when it can. */
export function zoneRestriction(sku: ResourceSku, location: string, zone: string): string | undefined {
  const loc = location.toLowerCase();
  const applies = (r: { values?: string[]; restrictionInfo?: { locations?: string[] } }) => {
    const locs = [...(r.restrictionInfo?.locations ?? []), ...(r.values ?? [])].map((l) => l.toLowerCase());
    return locs.length === 0 || locs.includes(loc);
  };
  for (const r of sku.restrictions ?? []) {
    if (r.type === "Location" && applies(r)) return `restricted in the whole region (${r.reasonCode ?? "no reason given"})`;
    if (r.type === "Zone" && applies(r) && (r.restrictionInfo?.zones ?? []).includes(zone))
      return `restricted in zone ${zone} (${r.reasonCode ?? "no reason given"})`;
  }
  const info = sku.locationInfo?.find((i) => i.location?.toLowerCase() === loc && !i.type);
  if (!info?.zones?.includes(zone)) return `not offered in zone ${zone}`;
  return undefined;
}
