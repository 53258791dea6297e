import { Construct } from "constructs";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { AzureResourceProps } from "../common/props";

export interface LogAnalyticsProps extends AzureResourceProps {
  /**
   * Days of retention (30-730).
   * @default 90
   */
  readonly retentionDays?: number;
}

/** The workspace every diagnostic setting and alert query uses. */
export class LogAnalytics extends Construct {
  readonly workspace: LogAnalyticsWorkspace;

  constructor(scope: Construct, id: string, props: LogAnalyticsProps) {
    super(scope, id);
    const retention = props.retentionDays ?? 90;
    if (retention < 30 || retention > 730) throw new Error(`retentionDays ${retention} must be between 30 and 730`);
    this.workspace = new LogAnalyticsWorkspace(this, "Resource", {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      sku: "PerGB2018",
      retentionInDays: retention,
      // Entra ID only: agents and queries authenticate with identities, not shared keys.
      localAuthenticationEnabled: false,
      tags: props.tags,
    });
  }
}
