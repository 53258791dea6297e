#!/usr/bin/env bash
# Archiver only: keeps DB-IP's "IP to City Lite" database on this region's
# share, where every VM's misc/DBIP-City.mmdb points; share-sync.sh copies it
# to the other region. DB-IP publishes it monthly under CC BY 4.0, which asks
# for the credit "IP Geolocation by DB-IP" (https://db-ip.com/db/lite.php).
# Cron runs this daily under `flock -n` and it downloads only when this month's
# database is not in place; provisioning runs it under the same lock.
#
#   geoip.sh [--provisioning]   update when due, then select Matomo's GeoIP2 provider
#   geoip.sh verify FILE        check a decompressed database (also used by tests)
# shellcheck source-path=SCRIPTDIR
set -Eeuo pipefail
umask 022

# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

STAMP="$(dirname "$MATOMO_GEOIP_DB")/.dbip-city-month"

# verify_mmdb FILE: big enough, and a MaxMind DB whose metadata (after the
# marker \xAB\xCD\xEF"MaxMind.com" in the last 128 KiB, where readers look for
# it) names a City database. Download integrity is gzip's CRC (gzip -t).
verify_mmdb() {
  local file="$1" size
  size="$(stat -c %s "$file" 2>/dev/null)" || size=0
  if [ "$size" -lt "$MATOMO_GEOIP_MIN_BYTES" ]; then
    log error "$(basename "$file") has ${size} bytes, expected at least ${MATOMO_GEOIP_MIN_BYTES}"
    return 1
  fi
  # shellcheck disable=SC2016 # PHP code, not shell
  if ! php -r '$f = fopen($argv[1], "rb");
$size = fstat($f)["size"];
fseek($f, -min($size, 131072), SEEK_END);
$tail = stream_get_contents($f);
$at = strrpos($tail, "\xAB\xCD\xEFMaxMind.com");
$meta = $at === false ? "" : substr($tail, $at + 14);
exit(strpos($meta, "database_type") !== false && stripos($meta, "city") !== false ? 0 : 1);' -- "$file"; then
    log error "$(basename "$file") is not a MaxMind DB city database (no metadata marker or database_type)"
    return 1
  fi
}

download_month() {
  local month="$1" dest="$2"
  curl --silent --show-error --fail --location --max-time 900 --proto '=https' --tlsv1.2 \
    --retry 3 --retry-delay 10 -o "$dest" "${MATOMO_GEOIP_BASE_URL}/dbip-city-lite-${month}.mmdb.gz"
}

update_database() {
  local month previous got="" workdir
  month="$(date -u +%Y-%m)"
  if [ -s "$MATOMO_GEOIP_DB" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$month" ]; then
    log info "geolocation database for ${month} already in place"
    return 0
  fi
  workdir="$(mktemp -d /var/tmp/matomo-geoip.XXXXXX)"
  # shellcheck disable=SC2064 # expand now: workdir is local
  trap "rm -rf '${workdir}'" EXIT
  if download_month "$month" "${workdir}/db.mmdb.gz"; then
    got="$month"
  elif [ ! -s "$MATOMO_GEOIP_DB" ]; then
    # Early in a month DB-IP may not have published yet: last month's beats none.
    previous="$(date -u -d "${month}-01 -1 month" +%Y-%m)"
    download_month "$previous" "${workdir}/db.mmdb.gz" && got="$previous"
  fi
  if [ -z "$got" ]; then
    log error "could not download the DB-IP city database for ${month} from ${MATOMO_GEOIP_BASE_URL}; keeping what is in place"
    return 1
  fi
  gzip -t "${workdir}/db.mmdb.gz" 2>/dev/null || { log error "dbip-city-lite-${got}.mmdb.gz is corrupt"; return 1; }
  gzip -dc "${workdir}/db.mmdb.gz" >"${workdir}/db.mmdb"
  verify_mmdb "${workdir}/db.mmdb" || return 1
  # Temp file + rename on the share, so no VM ever opens a half-written database.
  install -m 0644 "${workdir}/db.mmdb" "${MATOMO_GEOIP_DB}.tmp"
  mv -f "${MATOMO_GEOIP_DB}.tmp" "$MATOMO_GEOIP_DB"
  printf '%s\n' "$got" >"${STAMP}.tmp"
  mv -f "${STAMP}.tmp" "$STAMP"
  logger -t "$MATOMO_GEOIP_UPDATED_TAG" "DB-IP City Lite ${got} in place on ${MATOMO_GEOIP_DB}"
}

# Matomo guesses countries from the browser language until a provider is
# chosen; choose GeoIP2 then, but never override a Super User's choice.
select_provider() {
  [ -s "$MATOMO_GEOIP_DB" ] || return 0
  [ -f "${MATOMO_SHARE_MOUNT}/config/config.ini.php" ] || return 0
  runuser -u www-data -- php "${MATOMO_LIB_DIR}/setup.php" location-provider "$MATOMO_INSTALL_DIR" "$MATOMO_INSTALL_FILE"
}

case "${1:-}" in
verify) verify_mmdb "${2:?file}" ;;
"" | --provisioning)
  require_root
  [ "$MATOMO_ROLE" = archiver ] || die "the geolocation database is kept by the archiver only"
  if [ "${1:-}" != --provisioning ]; then
    [ -e "$MATOMO_READY_FILE" ] || exit 0 # provisioning not complete in this boot; it runs this itself
    exec > >(logger -t matomo-geoip) 2>&1 # cron discards output (MAILTO="")
  fi
  rc=0
  update_database || rc=1
  select_provider || rc=1
  exit "$rc"
  ;;
*) die "usage: $0 [--provisioning] | verify FILE" ;;
esac
