import { Construct } from "constructs";
import { NotificationPolicy } from "@cdktf/provider-cloudflare/lib/notification-policy";

export interface PoolHealthNotificationProps {
  readonly accountId: string;
  readonly name: string;
  /** Pools whose health changes are reported. */
  readonly poolIds: string[];
  /** Recipient (the same address as the Azure action group). */
  readonly email: string;
}

/**
 * E-mails when a regional pool turns unhealthy or healthy again: the moment
 * Cloudflare starts or stops failing traffic over to the other region.
 */
export class PoolHealthNotification extends Construct {
  readonly policy: NotificationPolicy;

  constructor(scope: Construct, id: string, props: PoolHealthNotificationProps) {
    super(scope, id);
    this.policy = new NotificationPolicy(this, "Resource", {
      accountId: props.accountId,
      name: props.name,
      description: "A Matomo origin pool changed health: Cloudflare is failing over (or back) between Azure regions.",
      alertType: "load_balancing_health_alert",
      enabled: true,
      filters: { poolId: props.poolIds, newHealth: ["Unhealthy", "Healthy"] },
      mechanisms: { email: [{ id: props.email }] },
    });
  }
}
