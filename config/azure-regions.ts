import { editDistance } from "../modules/common/edit-distance";

/**
 * Azure public-cloud regions by programmatic name, and whether each has
 * availability zones (https://learn.microsoft.com/azure/reliability/regions-list).
 * The blueprint spreads frontends and the MySQL HA pair over zones, so only
 * regions with zones are accepted; a region without them names its nearest
 * neighbour that has them. Extend the table when Azure opens a region.
 */
export const AZURE_REGIONS_SOURCE = "https://learn.microsoft.com/azure/reliability/regions-list";

export const REGIONS_WITH_ZONES: readonly string[] = [
  "australiaeast",
  "austriaeast",
  "belgiumcentral",
  "brazilsouth",
  "canadacentral",
  "centralindia",
  "centralus",
  "chilecentral",
  "eastasia",
  "eastus",
  "eastus2",
  "francecentral",
  "germanywestcentral",
  "indonesiacentral",
  "israelcentral",
  "italynorth",
  "japaneast",
  "japanwest",
  "koreacentral",
  "malaysiawest",
  "mexicocentral",
  "newzealandnorth",
  "northeurope",
  "norwayeast",
  "polandcentral",
  "qatarcentral",
  "southafricanorth",
  "southcentralus",
  "southeastasia",
  "spaincentral",
  "swedencentral",
  "switzerlandnorth",
  "uaenorth",
  "uksouth",
  "westeurope",
  "westus2",
  "westus3",
];

/** Regions without availability zones, each with the nearest region (same geography where possible) that has them. */
export const REGIONS_WITHOUT_ZONES: Readonly<Record<string, string>> = {
  australiacentral: "australiaeast",
  australiacentral2: "australiaeast",
  australiasoutheast: "australiaeast",
  brazilsoutheast: "brazilsouth",
  canadaeast: "canadacentral",
  francesouth: "francecentral",
  germanynorth: "germanywestcentral",
  jioindiacentral: "centralindia",
  jioindiawest: "centralindia",
  koreasouth: "koreacentral",
  northcentralus: "centralus",
  norwaywest: "norwayeast",
  southafricawest: "southafricanorth",
  southindia: "centralindia",
  swedensouth: "swedencentral",
  switzerlandwest: "switzerlandnorth",
  uaecentral: "uaenorth",
  ukwest: "uksouth",
  westcentralus: "westus2",
  westindia: "centralindia",
  westus: "westus2",
};

/** Why a location cannot host this blueprint, with the fix; undefined when it can. */
export function regionProblem(location: string): string | undefined {
  if (REGIONS_WITH_ZONES.includes(location)) return undefined;
  const neighbour = REGIONS_WITHOUT_ZONES[location];
  if (neighbour) {
    return `is an Azure region without availability zones, so the frontends and the MySQL HA pair cannot be zone-redundant (${AZURE_REGIONS_SOURCE}); use a region with zones, e.g. '${neighbour}'`;
  }
  const known = [...REGIONS_WITH_ZONES, ...Object.keys(REGIONS_WITHOUT_ZONES)];
  const nearest = known.map((name) => ({ name, d: editDistance(location, name) })).sort((x, y) => x.d - y.d || x.name.localeCompare(y.name))[0];
  const suggestion = REGIONS_WITHOUT_ZONES[nearest.name] ?? nearest.name;
  return `is not an Azure region name the blueprint knows (${AZURE_REGIONS_SOURCE}); did you mean '${suggestion}'? (if Azure opened it recently, add it to config/azure-regions.ts)`;
}
