import type { TokenCredential } from "@azure/identity";
import type { BlueprintConfig } from "../config";
import { azureApi, type AzureApi, type AzureHttpClient } from "./azure";
import { cloudflareApi, type CloudflareApi, type CloudflareFetch } from "./cloudflare";
import { describeError } from "./errors";
import type { Check, CheckResult, PreflightContext } from "./types";
import { resourceProviders } from "./checks/resource-providers";
import { previewFeatures } from "./checks/preview-features";
import { vmSizes } from "./checks/vm-sizes";
import { vcpuQuota } from "./checks/vcpu-quota";
import { mysqlSku } from "./checks/mysql-sku";
import { keyVaultRunnerAccess } from "./checks/key-vault-runner-access";
import { templateValuesCheck } from "./checks/template-values";
import { cloudflareZone } from "./checks/cloudflare-zone";
import { cloudflareLoadBalancing } from "./checks/cloudflare-load-balancing";
import { cloudflareCheckRegions } from "./checks/cloudflare-check-regions";

/** Every check, in the order they are reported. */
export const CHECKS: readonly Check[] = [
  templateValuesCheck,
  resourceProviders,
  previewFeatures,
  vmSizes,
  vcpuQuota,
  mysqlSku,
  keyVaultRunnerAccess,
  cloudflareZone,
  cloudflareLoadBalancing,
  cloudflareCheckRegions,
];

export interface PreflightDeps {
  readonly credential: TokenCredential;
  /** Recorded responses in tests; the SDK's own client otherwise. */
  readonly azureHttpClient?: AzureHttpClient;
  readonly cloudflareToken?: string;
  readonly cloudflareFetch?: CloudflareFetch;
  readonly egressIp: () => Promise<string>;
}

/** The run cannot start: credentials missing. Its message is one line saying how to log in. */
export class NotLoggedIn extends Error {}

const ARM_SCOPE = "https://management.azure.com/.default";

function unavailable(what: string): never {
  throw new Error(`${what} is not available to this check`);
}

/** Runs the checks; each one's failure is reported, never thrown. Throws NotLoggedIn before any check when credentials are missing. */
export async function runPreflight(environment: string, config: BlueprintConfig, checks: readonly Check[], deps: PreflightDeps): Promise<CheckResult[]> {
  const needs = new Set(checks.flatMap((c) => c.needs));
  const missing: string[] = [];
  if (needs.has("azure")) {
    try {
      await deps.credential.getToken(ARM_SCOPE);
    } catch {
      missing.push("Azure: run `az login` (in CI: OIDC login, or AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE)");
    }
  }
  if (needs.has("cloudflare") && !deps.cloudflareToken) missing.push("Cloudflare: set CLOUDFLARE_API_TOKEN");
  if (missing.length > 0) throw new NotLoggedIn(`preflight: not logged in. ${missing.join("; ")}; then run it again.`);

  const azure: AzureApi = needs.has("azure")
    ? azureApi(deps.credential, config.azure.subscriptionId, deps.azureHttpClient)
    : {
        providers: () => unavailable("Azure"),
        feature: () => unavailable("Azure"),
        vmSkus: () => unavailable("Azure"),
        computeUsages: () => unavailable("Azure"),
        mysqlCapabilities: () => unavailable("Azure"),
      };
  const cloudflare: CloudflareApi = deps.cloudflareToken
    ? cloudflareApi(deps.cloudflareToken, deps.cloudflareFetch)
    : { zone: () => unavailable("Cloudflare"), accountSubscriptions: () => unavailable("Cloudflare"), loadBalancingRegions: () => unavailable("Cloudflare") };
  const ctx: PreflightContext = { environment, config, azure, cloudflare, egressIp: deps.egressIp };

  return Promise.all(
    checks.map(async (check): Promise<CheckResult> => {
      const base = { id: check.id, title: check.title, sources: check.sources };
      try {
        const f = await check.run(ctx);
        if (f.problems.length > 0) return { ...base, status: "FAIL", problems: f.problems };
        if (f.skipped) return { ...base, status: "SKIP", reason: f.skipped, problems: [] };
        return { ...base, status: "PASS", reason: f.summary, problems: [] };
      } catch (err) {
        return { ...base, status: "FAIL", problems: [`the check itself failed: ${describeError(err)}`] };
      }
    }),
  );
}
