#!/usr/bin/env bash
# shellcheck shell=bash
# Helpers shared by the Matomo blueprint scripts. Sourced, never executed.
# Settings come from the env file rendered at synth time (no secrets in it).

MATOMO_ENV_FILE="${MATOMO_ENV_FILE:-/etc/matomo/matomo.env}"
# shellcheck source=/dev/null
. "$MATOMO_ENV_FILE"

# Messages go to stderr: systemd (provision) and logger (cron jobs) route them
# to the journal/syslog. Never pass a secret to log().
log() {
  local level="$1"
  shift
  printf '%s [%s] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$level" "$*" >&2
}

die() {
  log error "$*"
  exit 1
}

# retry MAX_ATTEMPTS COMMAND...: exponential backoff 2, 4, 8 ... capped at 60 s.
retry() {
  local max="$1" attempt=1 delay=2
  shift
  until "$@"; do
    if [ "$attempt" -ge "$max" ]; then
      log error "giving up on '$1' after ${attempt} attempts"
      return 1
    fi
    log warning "'$1' failed (attempt ${attempt}/${max}); retrying in ${delay}s"
    sleep "$delay"
    attempt=$((attempt + 1))
    delay=$((delay * 2))
    if [ "$delay" -gt 60 ]; then delay=60; fi
  done
}

require_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root"
}

# Access token for Key Vault from the instance metadata service. The VM has
# exactly one user-assigned identity, so no client_id is needed.
imds_vault_token() {
  curl --silent --show-error --fail --max-time 10 --noproxy '*' \
    -H 'Metadata: true' \
    'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net' |
    jq -er '.access_token'
}

# kv_fetch_secret NAME DEST MODE OWNER: write one Key Vault secret to DEST.
# The token reaches curl on stdin (not argv, so `ps` cannot show it) and the
# value goes straight from jq to a private temp file; nothing is echoed.
kv_fetch_secret() {
  local name="$1" dest="$2" mode="$3" owner="$4" token tmp
  token="$(imds_vault_token)" || return 1
  tmp="$(mktemp "${dest}.XXXXXX")" || return 1
  chmod 600 "$tmp"
  if ! printf 'Authorization: Bearer %s\n' "$token" |
    curl --silent --show-error --fail --max-time 15 --proto '=https' -H @- \
      "https://${MATOMO_KEY_VAULT_NAME}.vault.azure.net/secrets/${name}?api-version=7.4" |
    jq -ej '.value' >"$tmp"; then
    rm -f "$tmp"
    log warning "could not read secret '${name}' from Key Vault '${MATOMO_KEY_VAULT_NAME}'"
    return 1
  fi
  if [ ! -s "$tmp" ]; then
    rm -f "$tmp"
    log warning "secret '${name}' is empty"
    return 1
  fi
  chown "$owner" "$tmp"
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$dest"
}

# Runs a Matomo console command as the web user (same user as PHP-FPM, so
# files in tmp/ keep one owner).
matomo_console() {
  runuser -u www-data -- php "${MATOMO_INSTALL_DIR}/console" --no-ansi "$@"
}

# version_lt A B: whether Matomo version A is older than B (PHP's version_compare,
# which Matomo itself uses, so "5.2.0-b1" sorts before "5.2.0").
version_lt() {
  # shellcheck disable=SC2016 # PHP code, not shell
  php -r 'exit(version_compare($argv[1], $argv[2], "<") ? 0 : 1);' -- "$1" "$2"
}

# matomo_plugin_active NAME: whether NAME is in Matomo's effective [Plugins]
# list. Matomo reads global.ini.php, common.config.ini.php, then config.ini.php,
# and an array in a later file replaces the earlier one.
matomo_plugin_active() {
  local config="${MATOMO_INSTALL_DIR}/config"
  # shellcheck disable=SC2016 # PHP code, not shell
  php -r '$list = [];
foreach (array_slice($argv, 2) as $file) {
    $ini = is_readable($file) ? parse_ini_file($file, true, INI_SCANNER_RAW) : false;
    if (is_array($ini) && isset($ini["Plugins"]["Plugins"])) {
        $list = (array) $ini["Plugins"]["Plugins"];
    }
}
exit(in_array($argv[1], $list, true) ? 0 : 1);' -- "$1" "${config}/global.ini.php" "${config}/common.config.ini.php" "${config}/config.ini.php"
}

# mount_from_fstab MOUNTPOINT: mount an entry of /etc/fstab unless mounted.
mount_from_fstab() {
  local mountpoint="$1"
  mkdir -p "$mountpoint"
  if mountpoint -q "$mountpoint"; then
    return 0
  fi
  mount "$mountpoint"
}

# install_origin_tls CERT KEY: checks the Cloudflare origin certificate and key
# from Key Vault (PEM, matching pair) and installs them for nginx.
install_origin_tls() {
  local cert="$1" key="$2" a b
  openssl x509 -in "$cert" -noout >/dev/null 2>&1 || die "Key Vault secret ${MATOMO_SECRET_ORIGIN_CERT} is not a PEM certificate"
  openssl pkey -in "$key" -noout >/dev/null 2>&1 || die "Key Vault secret ${MATOMO_SECRET_ORIGIN_KEY} is not a PEM private key"
  a="$(openssl x509 -in "$cert" -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum)"
  b="$(openssl pkey -in "$key" -pubout -outform DER | sha256sum)"
  [ "$a" = "$b" ] || die "origin certificate and private key do not match"
  install -d -m 0755 "$MATOMO_NGINX_TLS_DIR"
  install -m 0644 -o root -g root "$cert" "${MATOMO_NGINX_TLS_DIR}/origin.crt"
  install -m 0600 -o root -g root "$key" "${MATOMO_NGINX_TLS_DIR}/origin.key"
}
