import { Construct } from "constructs";
import { LoadBalancerMonitor } from "@cdktf/provider-cloudflare/lib/load-balancer-monitor";
import { MonitorTiming } from "./plan-profile";

export interface OriginHealthMonitorProps {
  /** Cloudflare account (monitors are account-level). */
  readonly accountId: string;
  /** Public host name; sent as Host so nginx routes the check like a visitor request. */
  readonly hostname: string;
  /** Zone whose settings the probes simulate, so they carry the Authenticated Origin Pulls client certificate. */
  readonly probeZone: string;
  readonly timing: MonitorTiming;
  /** Health path served by every frontend. @default "/healthz" */
  readonly path?: string;
  /** Free text shown in Cloudflare's dashboard. */
  readonly description: string;
}

/**
 * HTTPS health check of the regional origins. It validates the origin
 * certificate (`allow_insecure = false`, see docs/adr/0008-edge-origin-trust.md)
 * and does not follow redirects, so a misrouted request (e.g. to the installer
 * or an HTTP->HTTPS loop) counts as unhealthy instead of passing.
 */
export class OriginHealthMonitor extends Construct {
  readonly monitor: LoadBalancerMonitor;

  constructor(scope: Construct, id: string, props: OriginHealthMonitorProps) {
    super(scope, id);
    const t = props.timing;
    this.monitor = new LoadBalancerMonitor(this, "Resource", {
      accountId: props.accountId,
      description: props.description,
      type: "https",
      method: "GET",
      port: 443,
      path: props.path ?? "/healthz",
      header: { Host: [props.hostname] },
      expectedCodes: "200",
      // The health endpoint answers exactly "ok"; a 200 from anything else (a proxy page) is not health.
      expectedBody: "ok",
      followRedirects: false,
      allowInsecure: false,
      probeZone: props.probeZone,
      interval: t.interval,
      timeout: t.timeout,
      retries: t.retries,
      consecutiveDown: t.consecutiveDown,
      consecutiveUp: t.consecutiveUp,
    });
  }
}
