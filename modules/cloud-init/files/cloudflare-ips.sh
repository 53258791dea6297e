#!/usr/bin/env bash
# Refreshes the nginx `set_real_ip_from` list from Cloudflare's published
# ranges (at boot and every 6 hours). The file starts as the list pinned at
# synth time; a fetch that fails, looks wrong or breaks `nginx -t` keeps the
# last good list, so real client IPs never depend on api.cloudflare.com.
#
#   cloudflare-ips.sh [--no-reload]
# shellcheck source-path=SCRIPTDIR
set -Eeuo pipefail
umask 022

# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

reload=1
if [ "${1:-}" = --no-reload ]; then
  reload=0 # called by provisioning, before nginx serves the site
elif [ ! -e "$MATOMO_READY_FILE" ]; then
  exit 0 # cron before provisioning completed: nothing to refresh yet
fi

target="$MATOMO_NGINX_REALIP_FILE"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! curl --silent --show-error --fail --max-time 20 --proto '=https' --tlsv1.2 \
  -o "${work}/ips.json" "$MATOMO_CLOUDFLARE_IPS_URL"; then
  log warning "cannot fetch ${MATOMO_CLOUDFLARE_IPS_URL}; keeping ${target}"
  exit 1
fi
jq -e '.success == true' "${work}/ips.json" >/dev/null || { log warning "unexpected answer from Cloudflare; keeping ${target}"; exit 1; }
jq -r '.result.ipv4_cidrs[]' "${work}/ips.json" >"${work}/v4"
jq -r '.result.ipv6_cidrs[]' "${work}/ips.json" >"${work}/v6"

# Sanity: only well-formed CIDRs, and about as many as Cloudflare has had for
# years; anything else is more likely a broken answer than a new network.
grep -Evq '^([0-9]{1,3}\.){3}[0-9]{1,3}/([89]|[12][0-9]|3[0-2])$' "${work}/v4" && { log warning "malformed IPv4 range from Cloudflare; keeping ${target}"; exit 1; }
grep -Evq '^[0-9a-f:]+:[0-9a-f:]*/([2-9][0-9]|1[01][0-9]|12[0-8])$' "${work}/v6" && { log warning "malformed IPv6 range from Cloudflare; keeping ${target}"; exit 1; }
if [ "$(wc -l <"${work}/v4")" -lt 5 ] || [ "$(wc -l <"${work}/v6")" -lt 3 ]; then
  log warning "suspiciously short Cloudflare list; keeping ${target}"
  exit 1
fi

{
  printf '# Cloudflare ranges fetched %s from %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$MATOMO_CLOUDFLARE_IPS_URL"
  sed 's/^/set_real_ip_from /; s/$/;/' "${work}/v4" "${work}/v6"
} >"${work}/realip.conf"

if cmp -s <(grep -v '^#' "${work}/realip.conf") <(grep -v '^#' "$target" 2>/dev/null); then
  exit 0
fi
cp -p "$target" "${work}/previous.conf" 2>/dev/null || true
install -m 0644 "${work}/realip.conf" "$target"
if ! nginx -t >/dev/null 2>&1; then
  log warning "nginx rejected the new Cloudflare list; restoring the previous one"
  if [ -f "${work}/previous.conf" ]; then install -m 0644 "${work}/previous.conf" "$target"; fi
  exit 1
fi
log info "Cloudflare ranges updated ($(wc -l <"${work}/v4") IPv4, $(wc -l <"${work}/v6") IPv6)"
if [ "$reload" -eq 1 ] && systemctl is-active --quiet nginx; then
  systemctl reload nginx
fi
