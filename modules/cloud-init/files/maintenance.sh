#!/usr/bin/env bash
# Archiver only: first install and upgrades, unattended and idempotent, under
# an exclusive lock that archive and scheduled-task jobs also take (shared),
# so neither runs while the schema changes. Frontends never run this.
#
#   maintenance.sh install-or-update   install if the database is empty, else core:update
#   maintenance.sh update              core:update only (runbook)
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
  MATOMO_DB_HOST="$MATOMO_DB_HOST" MATOMO_DB_NAME="$MATOMO_DB_NAME" MATOMO_DB_USER="$MATOMO_DB_USER" \
    MATOMO_DB_ADMIN_USER="$MATOMO_DB_ADMIN_USER" MATOMO_DB_TABLES_PREFIX="$MATOMO_DB_TABLES_PREFIX" \
    MATOMO_DB_CA_FILE="$MATOMO_DB_CA_FILE" php "${MATOMO_LIB_DIR}/dbtool.php" "$@" "$SECRETS_DIR"
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
  dbtool ensure-user
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

exec 9<"$MATOMO_MAINTENANCE_LOCK"
log info "waiting for running archive/scheduled-task jobs (maintenance lock)"
flock -x -w 7200 9 || die "could not take the maintenance lock within 2 h"

case "${1:-}" in
install-or-update) install_or_update ;;
update)
  [ -f "$SHARED_CONFIG" ] || die "Matomo is not installed yet (no ${SHARED_CONFIG})"
  run_update
  ;;
*) die "usage: $0 install-or-update | update" ;;
esac
