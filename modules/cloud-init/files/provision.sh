#!/usr/bin/env bash
# Brings this VM to its role's desired state. Runs at every boot
# (matomo-provision.service) and is idempotent. The ready marker lives on
# tmpfs, so until this script has completed in the current boot the health
# endpoint answers 503: any failure keeps the VM out of the load balancer.
# shellcheck source-path=SCRIPTDIR
set -Eeuo pipefail
umask 022

# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"
trap 'log error "provisioning failed (line ${LINENO}); the VM stays unhealthy"' ERR

SECRETS_DIR="${MATOMO_RUN_DIR}/secrets"
# Secrets live on tmpfs only while provisioning runs, whatever the outcome.
trap 'rm -rf "$SECRETS_DIR"' EXIT

check_prerequisites() {
  local cmd ext modules missing=""
  for cmd in curl jq gpg tar php mount.nfs flock runuser openssl; do
    command -v "$cmd" >/dev/null 2>&1 || missing="${missing} ${cmd}"
  done
  if [ "$MATOMO_ROLE" = frontend ]; then
    for cmd in nginx "php-fpm${MATOMO_PHP_VERSION}"; do
      command -v "$cmd" >/dev/null 2>&1 || missing="${missing} ${cmd}"
    done
  else
    command -v rsync >/dev/null 2>&1 || missing="${missing} rsync"
  fi
  modules="$(php -m)"
  for ext in pdo_mysql mysqli gd xml mbstring curl zip intl bcmath json zlib filter hash session openssl dom SimpleXML; do
    grep -qix "$ext" <<<"$modules" || missing="${missing} php:${ext}"
  done
  [ -z "$missing" ] || die "missing prerequisites:${missing} (package installation failed?)"
}

# Secrets go to tmpfs (removed on exit); only what a service must read at run
# time is copied to disk (the rendered common.config.ini.php and the nginx key).
fetch_secrets() {
  install -d -m 0700 -o root -g root "$SECRETS_DIR"
  retry 12 kv_fetch_secret "$MATOMO_SECRET_DB_PASSWORD" "${SECRETS_DIR}/db-password" 0600 root:root
  retry 12 kv_fetch_secret "$MATOMO_SECRET_SALT" "${SECRETS_DIR}/salt" 0600 root:root
  if [ "$MATOMO_ROLE" = frontend ]; then
    retry 12 kv_fetch_secret "$MATOMO_SECRET_ORIGIN_CERT" "${SECRETS_DIR}/origin.crt" 0644 root:root
    retry 12 kv_fetch_secret "$MATOMO_SECRET_ORIGIN_KEY" "${SECRETS_DIR}/origin.key" 0600 root:root
  else
    retry 12 kv_fetch_secret "$MATOMO_SECRET_DB_ADMIN_PASSWORD" "${SECRETS_DIR}/db-admin-password" 0600 root:root
    retry 12 kv_fetch_secret "$MATOMO_SECRET_SUPERUSER_PASSWORD" "${SECRETS_DIR}/superuser-password" 0600 root:root
  fi
  log info "secrets fetched from Key Vault ${MATOMO_KEY_VAULT_NAME}"
}

# Azure Database for MySQL presents chains to these roots; both ship with
# Ubuntu's ca-certificates. A dedicated bundle trusts nothing else.
build_db_ca_bundle() {
  local tmp root
  tmp="$(mktemp "${MATOMO_DB_CA_FILE}.XXXXXX")"
  for root in ${MATOMO_DB_CA_ROOTS}; do
    openssl x509 -in "$root" -noout >/dev/null 2>&1 || die "CA certificate ${root} missing (ca-certificates package)"
    cat "$root" >>"$tmp"
  done
  chmod 0644 "$tmp"
  mv -f "$tmp" "$MATOMO_DB_CA_FILE"
}

mount_shares() {
  local line mountpoint
  # Idempotency guard: each managed line is in fstab once; an older line for
  # the same mount point (changed settings) is replaced, not duplicated.
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    grep -qxF -- "$line" /etc/fstab && continue
    mountpoint="$(awk '{ print $2 }' <<<"$line")"
    awk -v mp="$mountpoint" '$2 != mp' /etc/fstab >/etc/fstab.matomo-new
    printf '%s\n' "$line" >>/etc/fstab.matomo-new
    mv -f /etc/fstab.matomo-new /etc/fstab
  done <"$MATOMO_FSTAB_FILE"
  systemctl daemon-reload
  retry 10 mount_from_fstab "$MATOMO_SHARE_MOUNT" || die "cannot mount this region's share on ${MATOMO_SHARE_MOUNT}"
  for mountpoint in ${MATOMO_REPLICA_MOUNTS:-}; do
    # The other region's storage must never stop this one: warn and go on.
    retry 3 mount_from_fstab "$mountpoint" || log warning "replica share ${mountpoint} not mounted; share-sync retries"
  done
}

# The share holds only the shared set; the archiver lays it out.
seed_share() {
  install -d -o www-data -g www-data -m 0750 "${MATOMO_SHARE_MOUNT}/config"
  install -d -o www-data -g www-data -m 0755 "${MATOMO_SHARE_MOUNT}/misc" "${MATOMO_SHARE_MOUNT}/misc/user"
  if [ ! -s "$MATOMO_SHARE_MARKER" ]; then
    printf 'Matomo shared set (config/config.ini.php, misc/user/). Managed by the blueprint archiver.\n' >"${MATOMO_SHARE_MARKER}.tmp"
    mv -f "${MATOMO_SHARE_MARKER}.tmp" "$MATOMO_SHARE_MARKER"
  fi
}

configure_matomo_tree() {
  local tree="$MATOMO_INSTALL_DIR"
  php "${MATOMO_LIB_DIR}/render-config.php" "$MATOMO_COMMON_CONFIG_TEMPLATE" \
    "${tree}/config/common.config.ini.php" "$SECRETS_DIR"
  # misc/user lives on the share (custom logo); code and tmp/ stay local.
  if [ ! -L "${tree}/misc/user" ]; then
    if [ "$MATOMO_ROLE" = archiver ]; then
      # The release's own files (index.html) belong there too, or Matomo's
      # file-integrity check reports them missing; never overwrite a user's file.
      rsync -rt --ignore-existing "${tree}/misc/user/" "${MATOMO_SHARE_MOUNT}/misc/user/"
    fi
    rm -rf "${tree}/misc/user"
  fi
  ln -sfn "${MATOMO_SHARE_MOUNT}/misc/user" "${tree}/misc/user"
  # Geolocation database: on the share, kept current by the archiver (geoip.sh).
  ln -sfn "$MATOMO_GEOIP_DB" "${tree}/misc/$(basename "$MATOMO_GEOIP_DB")"
  if [ "$MATOMO_ROLE" = frontend ]; then
    ln -sfn "${MATOMO_SHARE_MOUNT}/config/config.ini.php" "${tree}/config/config.ini.php"
  fi
  install -d -o www-data -g www-data -m 0750 "${tree}/tmp"
  # Regenerated on this VM by cron (custom-matomo-js:update, Tag Manager).
  chown www-data:www-data "${tree}/matomo.js" "${tree}/piwik.js"
  # Sticky: the web user may add container files but not replace root's.
  chown root:www-data "${tree}/js"
  chmod 1775 "${tree}/js"
  install -d -o www-data -g www-data -m 0755 "$MATOMO_STATE_DIR"
}

configure_php() {
  local etc="/etc/php/${MATOMO_PHP_VERSION}"
  install -m 0644 "${MATOMO_STAGED_DIR}/php-cli.ini" "${etc}/cli/conf.d/99-matomo.ini"
  if [ "$MATOMO_ROLE" = frontend ]; then
    install -m 0644 "${MATOMO_STAGED_DIR}/php-fpm.ini" "${etc}/fpm/conf.d/99-matomo.ini"
    install -m 0644 "${MATOMO_STAGED_DIR}/fpm-pool-matomo.conf" "${etc}/fpm/pool.d/matomo.conf"
    install -m 0644 "${MATOMO_STAGED_DIR}/fpm-pool-health.conf" "${etc}/fpm/pool.d/matomo-health.conf"
    rm -f "${etc}/fpm/pool.d/www.conf"
    install -d -m 0755 "$(dirname "$MATOMO_HEALTH_SCRIPT")"
    install -m 0644 "${MATOMO_STAGED_DIR}/healthz.php" "$MATOMO_HEALTH_SCRIPT"
    install -d -o www-data -g www-data -m 0755 "$MATOMO_HEALTH_STATE_DIR"
    "php-fpm${MATOMO_PHP_VERSION}" -t >/dev/null 2>&1 || die "php-fpm configuration test failed"
    systemctl enable "php${MATOMO_PHP_VERSION}-fpm" >/dev/null 2>&1
    # Restart, not reload: picks up the new code and empties opcache.
    systemctl restart "php${MATOMO_PHP_VERSION}-fpm"
  fi
}

configure_nginx() {
  flock -w 600 "$MATOMO_CLOUDFLARE_IPS_LOCK" "${MATOMO_LIB_DIR}/cloudflare-ips.sh" --no-reload ||
    log warning "keeping the pinned Cloudflare ranges"
  ln -sfn /etc/nginx/sites-available/matomo.conf /etc/nginx/sites-enabled/matomo.conf
  rm -f /etc/nginx/sites-enabled/default
  nginx -t >/dev/null 2>&1 || die "nginx configuration test failed (run 'nginx -t')"
  systemctl enable nginx >/dev/null 2>&1
  systemctl reload-or-restart nginx
}

main() {
  require_root
  install -d -m 0755 "$MATOMO_RUN_DIR"
  rm -f "$MATOMO_READY_FILE"
  log info "provisioning ${MATOMO_ROLE} for Matomo ${MATOMO_VERSION}"

  check_prerequisites
  fetch_secrets
  if [ "$MATOMO_ROLE" = frontend ]; then
    install_origin_tls "${SECRETS_DIR}/origin.crt" "${SECRETS_DIR}/origin.key"
  fi
  build_db_ca_bundle
  mount_shares
  if [ "$MATOMO_ROLE" = archiver ]; then
    seed_share
  fi
  "${MATOMO_LIB_DIR}/release.sh" install
  configure_matomo_tree
  configure_php
  # Lock taken shared by archive/scheduled-task jobs and exclusively by maintenance.
  # Created once per boot (tmpfs): replacing it would split holders across inodes.
  if [ ! -e "$MATOMO_MAINTENANCE_LOCK" ]; then
    install -m 0644 /dev/null "$MATOMO_MAINTENANCE_LOCK"
  fi

  if [ "$MATOMO_ROLE" = frontend ]; then
    configure_nginx
  else
    "${MATOMO_LIB_DIR}/maintenance.sh" install-or-update
    # Before the replica copy, so a new environment's other region gets it too.
    flock -w 600 "$MATOMO_GEOIP_LOCK" "${MATOMO_LIB_DIR}/geoip.sh" --provisioning ||
      log warning "geolocation database not updated; the daily job retries"
    flock -w 600 "$MATOMO_SHARE_SYNC_LOCK" "${MATOMO_LIB_DIR}/share-sync.sh" --provisioning ||
      log warning "first replica sync failed; cron retries"
  fi

  date -u +%Y-%m-%dT%H:%M:%SZ >"$MATOMO_READY_FILE"
  log info "provisioning complete"
}

main "$@"
