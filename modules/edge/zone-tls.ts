import { Construct } from "constructs";
import { ZoneSetting } from "@cdktf/provider-cloudflare/lib/zone-setting";

export interface ZoneTlsProps {
  readonly zoneId: string;
}

/**
 * Zone settings by construct ID: [setting ID, value]. The order is the apply
 * order: `ssl_automatic_mode = custom` first, so Cloudflare's automatic SSL/TLS
 * mode stops managing `ssl` before Full (strict) is written
 * (developers.cloudflare.com/ssl/origin-configuration/ssl-modes/#automatic-ssltls-default).
 * `tls_client_auth` is global Authenticated Origin Pulls: Cloudflare presents
 * its shared origin-pull certificate, the one nginx trusts
 * (developers.cloudflare.com/ssl/origin-configuration/authenticated-origin-pull/set-up/global/).
 */
export const ZONE_SETTINGS: ReadonlyArray<readonly [string, string, string]> = [
  ["SslAutomaticMode", "ssl_automatic_mode", "custom"],
  ["Ssl", "ssl", "strict"],
  ["TlsClientAuth", "tls_client_auth", "on"],
  ["MinTlsVersion", "min_tls_version", "1.2"],
  ["Tls13", "tls_1_3", "on"],
  ["AlwaysUseHttps", "always_use_https", "on"],
  ["AutomaticHttpsRewrites", "automatic_https_rewrites", "on"],
];

/**
 * Zone-wide TLS posture: Full (strict) to the origin and pinned there, TLS >=
 * 1.2 to visitors (Cloudflare's default minimum is 1.0), TLS 1.3 on, HTTP
 * redirected to HTTPS, and global Authenticated Origin Pulls. Not the
 * `cloudflare_authenticated_origin_pulls_settings` resource: that switches on
 * zone-level AOP, which presents a certificate uploaded for the zone, not the
 * shared one the origins trust. These apply to every host in the zone; see
 * docs/adr/0008-edge-origin-trust.md before sharing the zone.
 */
export class ZoneTls extends Construct {
  /** Settings by Cloudflare setting ID. */
  readonly settings: Readonly<Record<string, ZoneSetting>>;

  constructor(scope: Construct, id: string, props: ZoneTlsProps) {
    super(scope, id);
    const settings: Record<string, ZoneSetting> = {};
    for (const [cid, settingId, value] of ZONE_SETTINGS) {
      // `value` is Terraform `dynamic`; the binding types it as an object (hashicorp/terraform-cdk#3835).
      const dependsOn = settingId === "ssl" ? [settings.ssl_automatic_mode] : undefined;
      settings[settingId] = new ZoneSetting(this, cid, { zoneId: props.zoneId, settingId, value: value as any, dependsOn });
    }
    this.settings = settings;
  }
}
