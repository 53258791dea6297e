#!/usr/bin/env bash
# Runs one scheduled Matomo job. Cron starts it as `flock -n LOCK job.sh NAME`,
# so runs of one job never overlap, and because flock runs this script (not
# `console core:archive` itself) Matomo does not count the wrapper as another
# archiver (matomo#25173).
#
#   job.sh custom-js | tagmanager      frontends, every minute
#   job.sh archive | scheduled-tasks   archiver, hourly
# shellcheck source-path=SCRIPTDIR
set -Eeuo pipefail

# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

job="${1:-}"
exec > >(logger -t "matomo-job-${job:-unknown}") 2>&1

console() {
  php "${MATOMO_INSTALL_DIR}/console" --no-ansi "$@"
}

# Skipped quietly until this boot's provisioning completed and Matomo is
# installed (frontends wait for the archiver's config.ini.php).
if [ ! -e "$MATOMO_READY_FILE" ]; then
  echo "provisioning not complete; skipping ${job}"
  exit 0
fi
if [ ! -r "${MATOMO_INSTALL_DIR}/config/config.ini.php" ]; then
  echo "Matomo not installed yet; skipping ${job}"
  exit 0
fi

# Archive and scheduled tasks hold the maintenance lock shared; an install or
# core:update holds it exclusively, so neither runs during a schema change.
hold_maintenance_lock() {
  exec 8<"$MATOMO_MAINTENANCE_LOCK"
  if ! flock -s -n 8; then
    echo "install/update in progress; skipping ${job}"
    exit 0
  fi
}

require_role() {
  [ "$MATOMO_ROLE" = "$1" ] || die "${job} runs on the $1 only"
}

case "$job" in
custom-js)
  require_role frontend
  console custom-matomo-js:update
  ;;
tagmanager)
  require_role frontend
  # The archiver activates Tag Manager at install/upgrade; until then the
  # command does not exist. Quiet: this runs every minute.
  matomo_plugin_active TagManager || exit 0
  console tagmanager:regenerate-released-containers
  ;;
archive)
  require_role archiver
  hold_maintenance_lock
  started="$(date +%s)"
  console core:archive --url="https://${MATOMO_PUBLIC_HOSTNAME}/" --disable-scheduled-tasks
  finished="$(date +%s)"
  # Heartbeat only after success: an alert fires when it is stale.
  printf '%s\n' "$finished" >"${MATOMO_ARCHIVE_HEARTBEAT_FILE}.tmp"
  mv -f "${MATOMO_ARCHIVE_HEARTBEAT_FILE}.tmp" "$MATOMO_ARCHIVE_HEARTBEAT_FILE"
  logger -t "$MATOMO_ARCHIVE_HEARTBEAT_TAG" "core:archive completed in $((finished - started))s"
  ;;
scheduled-tasks)
  require_role archiver
  hold_maintenance_lock
  console scheduled-tasks:run
  ;;
*)
  die "usage: $0 custom-js | tagmanager | archive | scheduled-tasks"
  ;;
esac
