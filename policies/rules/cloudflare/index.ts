import { PolicyRule } from "../../rule";
import { cloudflareSslStrict } from "./ssl-strict";
import { cloudflareMinTls } from "./min-tls";
import { cloudflareAuthenticatedOriginPulls } from "./authenticated-origin-pulls";
import { cloudflareLoadBalancerFailover } from "./load-balancer-failover";
import { cloudflareMonitorHttps } from "./monitor-https";
import { cloudflarePoolHealth } from "./pool-health";
import { cloudflareOriginLock } from "./origin-lock";
import { cloudflareSslAutomaticMode } from "./ssl-automatic-mode";

export { CLOUDFLARE_RULE_EXAMPLES } from "./examples";

/** Edge rules (Cloudflare posture and the origin lock); no Checkov/Trivy check covers them. */
export const CLOUDFLARE_RULES: readonly PolicyRule[] = [
  cloudflareSslStrict,
  cloudflareMinTls,
  cloudflareAuthenticatedOriginPulls,
  cloudflareLoadBalancerFailover,
  cloudflareMonitorHttps,
  cloudflarePoolHealth,
  cloudflareOriginLock,
  cloudflareSslAutomaticMode,
];
