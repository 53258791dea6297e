import { Construct } from "constructs";
import { ZoneSetting } from "@cdktf/provider-cloudflare/lib/zone-setting";
import { AuthenticatedOriginPullsSettings } from "@cdktf/provider-cloudflare/lib/authenticated-origin-pulls-settings";

export interface ZoneTlsProps {
  readonly zoneId: string;
}

/**
 * Zone-wide TLS posture: Full (strict) to the origin, TLS >= 1.2 to visitors
 * (Cloudflare's default minimum is 1.0), TLS 1.3 on, HTTP redirected to HTTPS,
 * and Authenticated Origin Pulls so Cloudflare presents its client
 * certificate to the origins. These apply to every host in the zone; see
 * docs/adr/0008-edge-origin-trust.md before sharing the zone.
 */
export class ZoneTls extends Construct {
  /** Settings by Cloudflare setting ID. */
  readonly settings: Readonly<Record<string, ZoneSetting>>;
  readonly authenticatedOriginPulls: AuthenticatedOriginPullsSettings;

  constructor(scope: Construct, id: string, props: ZoneTlsProps) {
    super(scope, id);
    const wanted: ReadonlyArray<[string, string, string]> = [
      ["Ssl", "ssl", "strict"],
      ["MinTlsVersion", "min_tls_version", "1.2"],
      ["Tls13", "tls_1_3", "on"],
      ["AlwaysUseHttps", "always_use_https", "on"],
      ["AutomaticHttpsRewrites", "automatic_https_rewrites", "on"],
    ];
    const settings: Record<string, ZoneSetting> = {};
    for (const [cid, settingId, value] of wanted) {
      // `value` is Terraform `dynamic`; the binding types it as an object (hashicorp/terraform-cdk#3835).
      settings[settingId] = new ZoneSetting(this, cid, { zoneId: props.zoneId, settingId, value: value as any });
    }
    this.settings = settings;
    this.authenticatedOriginPulls = new AuthenticatedOriginPullsSettings(this, "AuthenticatedOriginPulls", {
      zoneId: props.zoneId,
      enabled: true,
    });
  }
}
