#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the console's browser tests (console module, *IT), and writes
# $DIR/chromium.env with their paths:
#   CHROMIUM=/usr/bin/chromium
#   CHROMEDRIVER=/usr/bin/chromedriver
#   CHROMIUM_VERSION=...
# Called by tools/fetch-test-servers.sh (on every run, including its fast path); can also be run alone.
#
# Why `apt-get install` and not `dpkg -x` as for the other servers: Chromium needs some fifty shared libraries
# (GTK, NSS, ALSA, fontconfig, ...) that a build machine lacks, each with its own configuration files under /etc;
# unpacked under a private root they would need LD_LIBRARY_PATH, FONTCONFIG_FILE and more, and would break with
# every security update. The system's own package manager resolves all of that, from the machine's own Debian
# release (bookworm: its security suite carries current Chromium), with the chromedriver of the same build.
# This needs root (CI runs as root) or password-less sudo; otherwise it stops with the command to run.
#
# Idempotent and fast once installed (checks both binaries run); safe to run concurrently (flock).
set -euo pipefail

DIR="${STREAMMETRICS_TOOLS_DIR:-${HOME:?HOME is not set}/.cache/streammetrics/tools}"
PACKAGES=(chromium chromium-driver fonts-dejavu-core)
CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver

log() { printf 'install-chromium: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Both binaries present and of the same build (chromedriver refuses a browser of another major version).
runs() {
  [[ -x "$CHROMIUM" && -x "$CHROMEDRIVER" ]] || return 1
  local browser driver
  browser="$("$CHROMIUM" --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+){3}' | head -n 1)" || return 1
  driver="$("$CHROMEDRIVER" --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+){3}' | head -n 1)" || return 1
  [[ -n "$browser" && "$browser" == "$driver" ]] || return 1
  VERSION="$browser"
}

write_env() {
  mkdir -p "$DIR"
  {
    echo "# Written by tools/install-chromium.sh: Debian's chromium and chromium-driver (system packages)."
    echo "CHROMIUM=$CHROMIUM"
    echo "CHROMEDRIVER=$CHROMEDRIVER"
    echo "CHROMIUM_VERSION=$VERSION"
  } > "$DIR/chromium.env.new"
  mv "$DIR/chromium.env.new" "$DIR/chromium.env"
}

if runs; then
  write_env
  exit 0
fi

mkdir -p "$DIR"
exec 8>"$DIR/.chromium.lock"
flock 8
if runs; then
  write_env
  exit 0
fi

if [[ "$(id -u)" == 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  die "Chromium is not installed and this user cannot install it; run once as root:
    apt-get update && apt-get install -y --no-install-recommends ${PACKAGES[*]}"
fi

log "apt-get install ${PACKAGES[*]} (system packages; needs some 300 MB)"
export DEBIAN_FRONTEND=noninteractive
# The package lists of a fresh machine may be missing or older than the security suite's current build.
"${SUDO[@]}" apt-get -q update >&2 || die "apt-get update failed"
"${SUDO[@]}" apt-get -q install -y --no-install-recommends "${PACKAGES[@]}" >&2 || die "apt-get install ${PACKAGES[*]} failed"

runs || die "$CHROMIUM and $CHROMEDRIVER do not run or differ in version after the install:
  $("$CHROMIUM" --version 2>&1 | head -n 1) / $("$CHROMEDRIVER" --version 2>&1 | head -n 1)"
log "ok: Chromium $VERSION, ChromeDriver $VERSION"
write_env
