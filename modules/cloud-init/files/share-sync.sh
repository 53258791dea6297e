#!/usr/bin/env bash
# Archiver only: copies the shared set (config.ini.php, misc/user/, the
# geolocation database, marker)
# from this region's share to the other region's share(s), so the other
# region keeps serving with the last copy if this region's storage is lost.
# Cron runs it under `flock -n`, provisioning under the same lock with
# --provisioning; rsync writes temp files and renames them, so readers on the
# replica never see a half-written config.ini.php.
# shellcheck source-path=SCRIPTDIR
set -Eeuo pipefail
umask 022

# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"
require_root
[ "$MATOMO_ROLE" = archiver ] || die "share-sync runs on the archiver only"
if [ "${1:-}" != --provisioning ] && [ ! -e "$MATOMO_READY_FILE" ]; then
  exit 0 # provisioning not complete in this boot; it runs the first copy itself
fi

src="$MATOMO_SHARE_MOUNT"
[ -s "$MATOMO_SHARE_MARKER" ] || die "${src} is not this region's seeded share; nothing to copy"

failed=0
for replica in ${MATOMO_REPLICA_MOUNTS:-}; do
  if ! mount_from_fstab "$replica"; then
    log error "replica ${replica} is not mounted; skipped"
    failed=1
    continue
  fi
  if ! {
    install -d -o www-data -g www-data -m 0750 "${replica}/config" &&
      install -d -o www-data -g www-data -m 0755 "${replica}/misc" "${replica}/misc/user" &&
      rsync -a --delete "${src}/misc/user/" "${replica}/misc/user/" &&
      { [ ! -f "${src}/config/config.ini.php" ] || rsync -a "${src}/config/config.ini.php" "${replica}/config/config.ini.php"; } &&
      { [ ! -f "$MATOMO_GEOIP_DB" ] || rsync -a "$MATOMO_GEOIP_DB" "${replica}/misc/$(basename "$MATOMO_GEOIP_DB")"; } &&
      rsync -a "$MATOMO_SHARE_MARKER" "${replica}/" &&
      date -u +%Y-%m-%dT%H:%M:%SZ >"${replica}/.matomo-last-sync.tmp" &&
      mv -f "${replica}/.matomo-last-sync.tmp" "${replica}/.matomo-last-sync"
  }; then
    log error "copy to ${replica} failed"
    failed=1
    continue
  fi
  logger -t "$MATOMO_SHARE_SYNC_HEARTBEAT_TAG" "shared set copied to ${replica}"
done
exit "$failed"
