/**
 * Value formats checked both by the environment config (config/schema.ts) and
 * by the cloud-init settings (modules/cloud-init/settings.ts). Each is defined
 * once so a value the config accepts is never refused when the VMs' cloud-init
 * is rendered; each layer keeps its own messages. No cdktf here: the config
 * loads without it.
 */

/**
 * Fully qualified lower-case host name: dot-separated labels of 1-63 letters,
 * digits and inner hyphens, at most 253 characters in all (RFC 1123 §2.1,
 * https://www.rfc-editor.org/rfc/rfc1123#section-2.1), ending in an alphabetic
 * top-level label.
 */
export const HOSTNAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * A Matomo 5 release as named on https://builds.matomo.org (`matomo-5.y.z.zip`):
 * no 'v', no pre-release suffix, no leading zeros (`5.01.0` names no release).
 * The minimum release (MATOMO_MIN_VERSION) is a separate check.
 */
export const MATOMO_VERSION = /^5\.(?:0|[1-9]\d{0,2})\.(?:0|[1-9]\d{0,2})$/;

/**
 * Login of the first Super User: 3-100 letters, digits, '_', '.', '@' or '-'.
 * Inside Matomo's own rule (Piwik::checkValidLoginString,
 * https://github.com/matomo-org/matomo/blob/5.x-dev/core/Piwik.php: 2-100
 * characters, also '+' and German umlauts).
 */
export const MATOMO_LOGIN = /^[A-Za-z0-9_.@-]{3,100}$/;

/**
 * E-mail address, as a sanity check (Matomo validates Super User e-mails
 * itself): local part, '@', a domain with a dot; no whitespace, quotes or
 * backslashes, as the value is written into the VMs' install settings.
 */
export const EMAIL = /^[^\s@"'\\]+@[^\s@"'\\]+\.[^\s@"'\\]+$/;

/** An https:// URL without whitespace, quotes, '<', '>' or backslashes (written into the install settings). */
export const HTTPS_URL = /^https:\/\/[^\s"'<>\\]+$/;

/**
 * IANA time zone name (https://www.iana.org/time-zones) that this Node's ICU
 * knows, in the characters zone names use; it sets the VMs' clock (cron) and
 * PHP's date.timezone.
 */
export function isTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return /^[A-Za-z0-9_+\-/]+$/.test(tz);
  } catch {
    return false;
  }
}
