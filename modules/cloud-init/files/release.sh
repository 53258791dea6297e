#!/usr/bin/env bash
# Installs the pinned Matomo release: download the .tar.gz and its detached .asc
# signature, verify the signature against the pinned key fingerprint, and only
# then extract. Any failure exits non-zero and leaves the installed tree as it
# was, so the VM stays unhealthy (fail closed).
#
#   release.sh install                 install MATOMO_VERSION unless present
#   release.sh verify TARBALL ASC      verify a downloaded release (also used by tests)
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
umask 022

# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

# The signing key: the copy embedded in the cloud-init when the blueprint ships
# one, else fetched; either way it only counts if its fingerprint is the pin.
import_release_key() {
  local gnupghome="$1" workdir="$2" url
  if [ -s "${MATOMO_RELEASE_KEY_FILE}" ]; then
    gpg --homedir "$gnupghome" --batch --quiet --import "${MATOMO_RELEASE_KEY_FILE}"
    return 0
  fi
  for url in ${MATOMO_RELEASE_KEY_URLS}; do
    if curl --silent --show-error --fail --location --max-time 60 --proto '=https' --tlsv1.2 \
      -o "${workdir}/release-key.asc" "$url" &&
      gpg --homedir "$gnupghome" --batch --quiet --import "${workdir}/release-key.asc"; then
      return 0
    fi
    log warning "could not import the release key from ${url}"
  done
  return 1
}

# verify_release TARBALL ASC: succeeds only if gpg reports a good signature
# whose primary-key fingerprint (last field of VALIDSIG) is the pinned one.
verify_release() {
  local tarball="$1" asc="$2" gnupghome status rc=0
  gnupghome="$(mktemp -d)"
  chmod 700 "$gnupghome"
  if ! import_release_key "$gnupghome" "$gnupghome"; then
    rm -rf "$gnupghome"
    log error "no release signing key could be imported"
    return 1
  fi
  if ! gpg --homedir "$gnupghome" --batch --with-colons --list-keys |
    awk -F: '$1 == "fpr" { print $10 }' | grep -qx "${MATOMO_RELEASE_FINGERPRINT}"; then
    log error "the imported key is not ${MATOMO_RELEASE_FINGERPRINT}"
    rc=1
  fi
  if [ "$rc" -eq 0 ]; then
    status="$(gpg --homedir "$gnupghome" --batch --status-fd 1 --verify "$asc" "$tarball" 2>/dev/null)" || rc=1
  fi
  if [ "$rc" -eq 0 ] && ! grep -q '^\[GNUPG:\] GOODSIG ' <<<"$status"; then
    rc=1
  fi
  if [ "$rc" -eq 0 ] && ! awk '$1 == "[GNUPG:]" && $2 == "VALIDSIG" { print $NF }' <<<"$status" |
    grep -qx "${MATOMO_RELEASE_FINGERPRINT}"; then
    rc=1
  fi
  GNUPGHOME="$gnupghome" gpgconf --kill all >/dev/null 2>&1 || true
  rm -rf "$gnupghome"
  if [ "$rc" -ne 0 ]; then
    log error "signature check FAILED for $(basename "$tarball") (expected key ${MATOMO_RELEASE_FINGERPRINT})"
    return 1
  fi
  log info "signature of $(basename "$tarball") verified (key ${MATOMO_RELEASE_FINGERPRINT})"
}

# download URL DEST: primary host first, GitHub release as the second source of
# the same signed file (the signature check decides, not the source).
download() {
  local file="$1" dest="$2" url
  for url in "${MATOMO_RELEASE_BASE_URL}/${file}" \
    "https://github.com/matomo-org/matomo/releases/download/${MATOMO_VERSION}/${file}"; do
    if curl --silent --show-error --fail --location --max-time 600 --proto '=https' --tlsv1.2 \
      --retry 5 --retry-delay 5 --retry-all-errors -o "${dest}.part" "$url"; then
      mv -f "${dest}.part" "$dest"
      return 0
    fi
    rm -f "${dest}.part"
    log warning "download failed: ${url}"
  done
  return 1
}

installed_version() {
  sed -n "s/.*[[:space:]]VERSION[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" \
    "${MATOMO_INSTALL_DIR}/core/Version.php" 2>/dev/null | head -n 1
}

install_release() {
  local version="${MATOMO_VERSION}" workdir tarball staging old
  if version_lt "$version" "$MATOMO_MIN_VERSION"; then
    die "Matomo ${version} is older than ${MATOMO_MIN_VERSION}, the oldest release the headless install supports (it calls DbHelper::getDefaultCollationForCharset(), first in ${MATOMO_MIN_VERSION}); pin ${MATOMO_MIN_VERSION} or later in matomo.version"
  fi
  # Idempotency guard: same pinned version already installed and recorded. The
  # marker lives outside the tree, where Matomo's file-integrity check does not look.
  if [ -f "$MATOMO_RELEASE_MARKER" ] &&
    [ "$(cat "$MATOMO_RELEASE_MARKER")" = "$version" ] &&
    [ "$(installed_version)" = "$version" ]; then
    log info "Matomo ${version} already installed in ${MATOMO_INSTALL_DIR}"
    return 0
  fi

  workdir="$(mktemp -d /var/tmp/matomo-release.XXXXXX)"
  # shellcheck disable=SC2064 # expand now: workdir is local
  trap "rm -rf '${workdir}'" EXIT
  tarball="${workdir}/matomo-${version}.tar.gz"

  log info "downloading Matomo ${version}"
  download "matomo-${version}.tar.gz" "$tarball" || die "cannot download matomo-${version}.tar.gz"
  download "matomo-${version}.tar.gz.asc" "${tarball}.asc" || die "cannot download matomo-${version}.tar.gz.asc"

  verify_release "$tarball" "${tarball}.asc" || die "refusing to install an unverified Matomo release"

  staging="${MATOMO_INSTALL_DIR}.staging"
  rm -rf "$staging"
  mkdir -p "$staging"
  tar -xzf "$tarball" -C "$staging" --no-same-owner --no-same-permissions matomo
  [ "$(sed -n "s/.*[[:space:]]VERSION[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" \
    "${staging}/matomo/core/Version.php" | head -n 1)" = "$version" ] ||
    die "the archive does not contain Matomo ${version} (core/Version.php differs)"

  # Swap directories so a failure above never leaves a half-written tree.
  old="${MATOMO_INSTALL_DIR}.previous"
  rm -rf "$old"
  if [ -e "${MATOMO_INSTALL_DIR}" ]; then
    mv "${MATOMO_INSTALL_DIR}" "$old"
  fi
  mv "${staging}/matomo" "${MATOMO_INSTALL_DIR}"
  rm -rf "$staging" "$old"
  install -d -m 0755 "$(dirname "$MATOMO_RELEASE_MARKER")"
  printf '%s\n' "$version" >"${MATOMO_RELEASE_MARKER}.tmp"
  mv -f "${MATOMO_RELEASE_MARKER}.tmp" "$MATOMO_RELEASE_MARKER"
  log info "installed Matomo ${version} in ${MATOMO_INSTALL_DIR}"
}

case "${1:-}" in
install) install_release ;;
verify) verify_release "${2:?tarball}" "${3:?signature}" ;;
*) die "usage: $0 install | verify TARBALL ASC" ;;
esac
