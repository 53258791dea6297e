import type { BlueprintConfig } from "../../config";
import type { Check } from "../types";
import { describeError } from "../errors";

interface FeatureNeed {
  readonly namespace: string;
  readonly name: string;
  /** The config field that turns the feature on. */
  readonly field: string;
  readonly enabled: (config: BlueprintConfig) => boolean;
}

/** Subscription features the synthesized resources rely on, each switched by a config field. */
export const FEATURES: readonly FeatureNeed[] = [
  { namespace: "Microsoft.Compute", name: "EncryptionAtHost", field: "compute.encryptionAtHost", enabled: (c) => c.compute.encryptionAtHost },
  { namespace: "Microsoft.Compute", name: "MaxSurgeRollingUpgrade", field: "compute.maximumSurge", enabled: (c) => c.compute.maximumSurge },
];

export const previewFeatures: Check = {
  id: "preview-features",
  title: "Azure subscription features registered",
  needs: ["azure"],
  sources: [
    "https://learn.microsoft.com/azure/virtual-machines/linux/disks-enable-host-based-encryption-cli",
    "https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-maxsurge",
    "https://learn.microsoft.com/rest/api/resources/features/get",
  ],
  async run(ctx) {
    const wanted = FEATURES.filter((f) => f.enabled(ctx.config));
    if (wanted.length === 0) return { problems: [], skipped: `${FEATURES.map((f) => f.field).join(" and ")} are off: no feature needed` };
    const problems: string[] = [];
    const notes: string[] = [];
    for (const f of wanted) {
      const full = `${f.namespace}/${f.name}`;
      const register = `run \`az feature register --namespace ${f.namespace} --name ${f.name}\`, wait until \`az feature show --namespace ${f.namespace} --name ${f.name} --query properties.state\` says Registered, then \`az provider register --namespace ${f.namespace}\``;
      let state: string;
      try {
        state = (await ctx.azure.feature(f.namespace, f.name)).properties?.state ?? "unknown";
      } catch (err) {
        // Azure retires a preview flag once the feature is generally available; then there is nothing to register.
        if ((err as { statusCode?: number }).statusCode === 404) notes.push(`${full} is not a feature flag any more (generally available)`);
        else problems.push(`cannot read feature ${full}: ${describeError(err)}`);
        continue;
      }
      if (state === "Registered") continue;
      const pending = state === "Registering" || state === "Pending";
      problems.push(
        pending
          ? `${full} (needed by ${f.field} = true) is ${state}: registration can take a while; re-run later, then \`az provider register --namespace ${f.namespace}\` to propagate it`
          : `${full} (needed by ${f.field} = true) is ${state}: ${register}; or set ${f.field} = false`,
      );
    }
    const registered = wanted.map((f) => `${f.namespace}/${f.name}`).filter((n) => !notes.some((note) => note.startsWith(n)));
    return { problems, summary: [registered.length > 0 ? `${registered.join(", ")} registered` : "", ...notes].filter(Boolean).join("; ") };
  },
};
