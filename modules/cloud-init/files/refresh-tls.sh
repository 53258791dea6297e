#!/usr/bin/env bash
# Frontends, hourly: re-reads the origin certificate and key from Key Vault and
# reloads nginx when they changed, so a rotation (ADR 0008) reaches running
# VMs without a reimage. A failed read or a bad pair keeps the current files.
# shellcheck source-path=SCRIPTDIR
set -Eeuo pipefail
umask 077

# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"
require_root
[ "$MATOMO_ROLE" = frontend ] || die "only frontends serve TLS"
[ -e "$MATOMO_READY_FILE" ] || exit 0

work="$(mktemp -d "${MATOMO_RUN_DIR}/tls.XXXXXX")"
trap 'rm -rf "$work"' EXIT
retry 3 kv_fetch_secret "$MATOMO_SECRET_ORIGIN_CERT" "${work}/origin.crt" 0644 root:root
retry 3 kv_fetch_secret "$MATOMO_SECRET_ORIGIN_KEY" "${work}/origin.key" 0600 root:root
if cmp -s "${work}/origin.crt" "${MATOMO_NGINX_TLS_DIR}/origin.crt" &&
  cmp -s "${work}/origin.key" "${MATOMO_NGINX_TLS_DIR}/origin.key"; then
  exit 0
fi
mkdir -p "${work}/previous"
cp -p "${MATOMO_NGINX_TLS_DIR}/origin.crt" "${MATOMO_NGINX_TLS_DIR}/origin.key" "${work}/previous/"
install_origin_tls "${work}/origin.crt" "${work}/origin.key"
if ! nginx -t >/dev/null 2>&1; then
  install -m 0644 "${work}/previous/origin.crt" "${MATOMO_NGINX_TLS_DIR}/origin.crt"
  install -m 0600 "${work}/previous/origin.key" "${MATOMO_NGINX_TLS_DIR}/origin.key"
  die "nginx rejected the new origin certificate; kept the previous one"
fi
systemctl reload nginx
log info "origin certificate updated from Key Vault; nginx reloaded"
