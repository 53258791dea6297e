import type { BlueprintConfig } from "../config";
import type { AzureApi } from "./azure";
import type { CloudflareApi } from "./cloudflare";

/** What a check needs from outside: Azure credentials, a Cloudflare token, or the runner's public address. */
export type Need = "azure" | "cloudflare" | "egress-ip";

export interface PreflightContext {
  readonly environment: string;
  readonly config: BlueprintConfig;
  readonly azure: AzureApi;
  readonly cloudflare: CloudflareApi;
  /** Public IPv4 address this runner's traffic leaves from. */
  readonly egressIp: () => Promise<string>;
}

/** What a check found: every problem (each naming its fix), or why it did not apply. */
export interface Findings {
  readonly problems: readonly string[];
  /** One line shown when there is no problem. */
  readonly summary?: string;
  /** Set when the check does not apply to this config; the reason is shown. */
  readonly skipped?: string;
}

export interface Check {
  readonly id: string;
  readonly title: string;
  readonly needs: readonly Need[];
  /** Public documentation of the platform rule the check encodes. */
  readonly sources: readonly string[];
  run(ctx: PreflightContext): Promise<Findings>;
}

export type Status = "PASS" | "FAIL" | "SKIP";

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly status: Status;
  /** PASS: what was verified; SKIP: why not. */
  readonly reason?: string;
  readonly problems: readonly string[];
  readonly sources: readonly string[];
}
