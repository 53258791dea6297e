import type { Check } from "../types";
import { describeError } from "../errors";
import { REGIONS, findSku, vcpusOf, vmNeeds } from "../compute";

const QUOTA_REQUEST = "https://learn.microsoft.com/azure/quotas/per-vm-quota-requests";

export const vcpuQuota: Check = {
  id: "vcpu-quota",
  title: "vCPU quota for the VM families and the region",
  needs: ["azure"],
  sources: ["https://learn.microsoft.com/rest/api/compute/usage/list", "https://learn.microsoft.com/azure/virtual-machines/quotas", QUOTA_REQUEST],
  async run(ctx) {
    const problems: string[] = [];
    const checked: string[] = [];
    for (const region of REGIONS) {
      const { location } = ctx.config.regions[region];
      let skus, usages;
      try {
        [skus, usages] = await Promise.all([ctx.azure.vmSkus(location), ctx.azure.computeUsages(location)]);
      } catch (err) {
        problems.push(`cannot read VM sizes or quota in ${location}: ${describeError(err)}`);
        continue;
      }
      // Quota is counted per family ("standardDSv5Family") and for all families together ("cores").
      const demand = new Map<string, { vcpus: number; parts: string[] }>();
      const add = (key: string, vcpus: number, part: string) => {
        const d = demand.get(key) ?? { vcpus: 0, parts: [] };
        d.vcpus += vcpus;
        d.parts.push(part);
        demand.set(key, d);
      };
      for (const need of vmNeeds(ctx.config, region).filter((n) => n.count > 0)) {
        const sku = findSku(skus, need.sku);
        const vcpus = vcpusOf(sku, need.sku);
        if (!sku?.family || vcpus === undefined) {
          problems.push(`cannot tell the quota family of ${need.sku} in ${location}: the size is not offered there (see check vm-sizes)`);
          continue;
        }
        const part = `${need.role} ${need.count} x ${vcpus}${need.countReason ? ` (${need.countReason})` : ""}`;
        add(sku.family, need.count * vcpus, part);
        add("cores", need.count * vcpus, part);
      }
      for (const [name, d] of demand) {
        const usage = usages.find((u) => u.name?.value?.toLowerCase() === name.toLowerCase());
        const label = name === "cores" ? "Total Regional vCPUs (cores)" : name;
        if (!usage) {
          problems.push(
            `${location}: no quota entry '${name}' in the subscription's usage list; ${label} needs ${d.vcpus} vCPUs: request it (${QUOTA_REQUEST})`,
          );
          continue;
        }
        const free = usage.limit - usage.currentValue;
        if (d.vcpus > free) {
          problems.push(
            `${location} (${region}): ${label} needs ${d.vcpus} vCPUs (${d.parts.join(" + ")}) but only ${free} are free (limit ${usage.limit}, in use ${usage.currentValue}): ` +
              `request a limit of at least ${usage.currentValue + d.vcpus} (${QUOTA_REQUEST}), or lower frontends.maxInstances${ctx.config.compute.maximumSurge ? " or set compute.maximumSurge = false" : ""}`,
          );
        } else {
          checked.push(`${location} ${name} ${d.vcpus}/${free} free`);
        }
      }
    }
    return { problems, summary: checked.join("; ") };
  },
};
