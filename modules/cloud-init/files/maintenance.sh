#!/usr/bin/env bash
# Archiver only: first install and upgrades, unattended and idempotent, under
# an exclusive lock that archive and scheduled-task jobs also take (shared),
# so neither runs while the schema changes. Frontends never run this.
#
#   maintenance.sh install-or-update   install if the database is empty, else core:update
#   maintenance.sh update [--ignore-old-frontends]
#                                      core:update only (runbook)
#   maintenance.sh older-frontends [VERSION]
#                                      live frontends on code older than VERSION
#                                      (default: this archiver's), one per line
#
# Before a core:update that migrates the schema to a newer release it waits,
# bounded by MATOMO_UPGRADE_WAIT_SECONDS, until no live frontend reports older
# code (healthz.php reports it): Matomo cannot serve older code on a newer
# schema, so migrating while the scale sets still roll would take every old
# frontend out of the pools at once.
# shellcheck source-path=SCRIPTDIR
set -Eeuo pipefail
umask 022

# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"
require_root
[ "$MATOMO_ROLE" = archiver ] || die "installs and updates run on the archiver only"

SECRETS_DIR="${MATOMO_RUN_DIR}/secrets"
LOCAL_CONFIG="${MATOMO_INSTALL_DIR}/config/config.ini.php"
SHARED_CONFIG="${MATOMO_SHARE_MOUNT}/config/config.ini.php"

dbtool() {
  local command="$1"
  shift
  MATOMO_DB_HOST="$MATOMO_DB_HOST" MATOMO_DB_NAME="$MATOMO_DB_NAME" MATOMO_DB_USER="$MATOMO_DB_USER" \
    MATOMO_DB_ADMIN_USER="$MATOMO_DB_ADMIN_USER" MATOMO_DB_TABLES_PREFIX="$MATOMO_DB_TABLES_PREFIX" \
    MATOMO_DB_CA_FILE="$MATOMO_DB_CA_FILE" MATOMO_FRONTEND_REPORT_TABLE="$MATOMO_FRONTEND_REPORT_TABLE" \
    php "${MATOMO_LIB_DIR}/dbtool.php" "$command" "$SECRETS_DIR" "$@"
}

# Waits until no frontend heard of in the last MATOMO_FRONTEND_LIVE_SECONDS runs
# code older than MATOMO_VERSION, when core:update would migrate the schema:
# MATOMO_UPGRADE_WAIT_SECONDS of polls, then exit 75 (systemd does not retry it).
# Before the maintenance lock, so a manual `update` leaves running jobs alone
# while it waits (during provisioning no job runs: the ready marker is gone).
wait_for_frontends() {
  local db_version old attempts attempt=1
  db_version="$(dbtool db-version)"
  if [ -z "$db_version" ] || ! version_lt "$db_version" "$MATOMO_VERSION"; then
    return 0
  fi
  # One look more than pauses, so the last look comes after the whole wait.
  attempts=$((MATOMO_UPGRADE_WAIT_SECONDS / MATOMO_FRONTEND_POLL_SECONDS + 1))
  while :; do
    old="$(dbtool older-frontends "$MATOMO_VERSION" "$MATOMO_FRONTEND_LIVE_SECONDS")"
    if [ -z "$old" ]; then
      log info "no live frontend runs code older than ${MATOMO_VERSION}; migrating the schema from ${db_version}"
      return 0
    fi
    if [ "$attempt" -ge "$attempts" ]; then
      log error "core:update to ${MATOMO_VERSION} postponed: after $((MATOMO_UPGRADE_WAIT_SECONDS / 60)) min these frontends still run older code and would all answer 503 on the migrated schema: $(echo "$old" | tr '\n' ' ')- finish the scale sets' rolling upgrade (reimage instances without the latest model), then 'systemctl restart matomo-provision' here; to migrate anyway: maintenance.sh update --ignore-old-frontends (docs/runbooks/upgrade-matomo.md)"
      exit 75
    fi
    log info "waiting for the frontends' rollout before core:update to ${MATOMO_VERSION} (${attempt}/${attempts}); still on older code: $(echo "$old" | tr '\n' ' ')"
    sleep "$MATOMO_FRONTEND_POLL_SECONDS"
    attempt=$((attempt + 1))
  done
}

# Provisioning fetched the secrets and removes them when it ends; run by hand,
# this fetches the one the database checks need into a folder of its own (never
# provisioning's, which may be filling at the same time) and removes it on exit.
ensure_db_secret() {
  [ ! -s "${SECRETS_DIR}/db-password" ] || return 0
  install -d -m 0755 "$MATOMO_RUN_DIR"
  SECRETS_DIR="$(mktemp -d "${MATOMO_RUN_DIR}/secrets-manual.XXXXXX")"
  trap 'rm -rf "$SECRETS_DIR"' EXIT
  retry 5 kv_fetch_secret "$MATOMO_SECRET_DB_PASSWORD" "${SECRETS_DIR}/db-password" 0600 root:root ||
    die "could not read the database password from Key Vault ${MATOMO_KEY_VAULT_NAME}"
}

link_shared_config() {
  ln -sfn "$SHARED_CONFIG" "$LOCAL_CONFIG"
}

# Publishes the freshly written config: temp file + rename on the share, so a
# frontend never reads a half-written file.
publish_config() {
  if grep -q '^installation_in_progress' "$LOCAL_CONFIG"; then
    die "install did not complete; not publishing config.ini.php"
  fi
  install -o www-data -g www-data -m 0640 "$LOCAL_CONFIG" "${SHARED_CONFIG}.tmp"
  mv -f "${SHARED_CONFIG}.tmp" "$SHARED_CONFIG"
  link_shared_config
  log info "published config.ini.php to the share"
}

# Matomo 5 ships Tag Manager deactivated and enable_plugins_admin = 0 keeps the
# UI from activating it, so the plugins the frontends' crons need are activated
# here; plugin:activate skips active ones, and reports a failure only in its text.
activate_required_plugins() {
  local plugin
  for plugin in ${MATOMO_REQUIRED_PLUGINS}; do
    matomo_plugin_active "$plugin" && continue
    log info "activating plugin ${plugin}"
    matomo_console plugin:activate "$plugin"
    matomo_plugin_active "$plugin" || die "plugin ${plugin} is still not active after plugin:activate (missing from the release's plugins/?)"
  done
}

# Matomo cannot run older code on a newer schema (its UI answers "Database has
# already been upgraded" and core:archive fails), and has no schema downgrade.
refuse_downgrade() {
  local db_version
  db_version="$(dbtool db-version)"
  if [ -n "$db_version" ] && version_lt "$MATOMO_VERSION" "$db_version"; then
    die "refusing to run Matomo ${MATOMO_VERSION}: the database was already upgraded to ${db_version} and Matomo cannot downgrade it; pin ${db_version} or later in matomo.version (docs/runbooks/upgrade-matomo.md, Rollback)"
  fi
}

run_install() {
  if [ -L "$LOCAL_CONFIG" ]; then
    rm -f "$LOCAL_CONFIG"
  fi
  if [ ! -f "$LOCAL_CONFIG" ]; then
    # Matomo refuses to boot without a readable config.ini.php when the
    # installer is disabled; this placeholder marks the install as unfinished.
    printf '; <?php exit; ?> DO NOT REMOVE THIS LINE\n[General]\ninstallation_in_progress = 1\n' >"${LOCAL_CONFIG}.tmp"
    chown www-data:www-data "${LOCAL_CONFIG}.tmp"
    chmod 0640 "${LOCAL_CONFIG}.tmp"
    mv -f "${LOCAL_CONFIG}.tmp" "$LOCAL_CONFIG"
  fi
  log info "installing Matomo ${MATOMO_VERSION} (headless)"
  # The password reaches PHP on stdin, opened by root before dropping privileges.
  runuser -u www-data -- php "${MATOMO_LIB_DIR}/setup.php" install "$MATOMO_INSTALL_DIR" "$MATOMO_INSTALL_FILE" \
    <"${SECRETS_DIR}/superuser-password"
  activate_required_plugins
  publish_config
}

run_update() {
  link_shared_config
  log info "running core:update for Matomo ${MATOMO_VERSION}"
  matomo_console core:update --yes
  # core:update migrates schemas; plugins new in this release are installed
  # here, since frontends cannot write the shared config.
  runuser -u www-data -- php "${MATOMO_LIB_DIR}/setup.php" install-plugins "$MATOMO_INSTALL_DIR" "$MATOMO_INSTALL_FILE"
  activate_required_plugins
  matomo_console core:update --yes
}

install_or_update() {
  local state
  state="$(dbtool state)"
  if [ "$state" != empty ]; then
    refuse_downgrade
  fi
  log info "database state: ${state}; shared config: $([ -f "$SHARED_CONFIG" ] && echo present || echo absent)"
  case "${state}:$([ -f "$SHARED_CONFIG" ] && echo present || echo absent)" in
  installed:present) run_update ;;
  empty:absent | partial:absent) run_install ;;
  installed:absent)
    die "the database holds a complete install but ${SHARED_CONFIG} is missing; restore it from a replica share (${MATOMO_REPLICA_MOUNTS:-none}) or a backup, then restart matomo-provision (docs/first-boot.md)"
    ;;
  *)
    die "${SHARED_CONFIG} exists but the database is '${state}'; refusing to guess (docs/first-boot.md)"
    ;;
  esac
}

take_maintenance_lock() {
  exec 9<"$MATOMO_MAINTENANCE_LOCK"
  log info "waiting for running archive/scheduled-task jobs (maintenance lock)"
  flock -x -w 7200 9 || die "could not take the maintenance lock within 2 h"
}

case "${1:-}:${2:-}" in
install-or-update:)
  dbtool ensure-user
  wait_for_frontends
  take_maintenance_lock
  install_or_update
  ;;
update: | update:--ignore-old-frontends)
  [ -f "$SHARED_CONFIG" ] || die "Matomo is not installed yet (no ${SHARED_CONFIG})"
  if [ "${2:-}" = --ignore-old-frontends ]; then
    log warning "--ignore-old-frontends: frontends still on older code will answer 503 after the migration"
  else
    ensure_db_secret
    wait_for_frontends
  fi
  take_maintenance_lock
  run_update
  ;;
older-frontends:*)
  ensure_db_secret
  dbtool older-frontends "${2:-$MATOMO_VERSION}" "$MATOMO_FRONTEND_LIVE_SECONDS"
  ;;
*) die "usage: $0 install-or-update | update [--ignore-old-frontends] | older-frontends [VERSION]" ;;
esac
