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
    if (retention < 30 || retention > 730)
      throw new Error(
        `LogAnalytics: retentionDays ${retention} must be a whole number of days from 30 to 730, the range Azure allows on a PerGB2018 workspace (https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure)`,
      );
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
