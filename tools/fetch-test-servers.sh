#!/usr/bin/env bash
# Installs the real servers that streammetrics' integration tests talk to on 127.0.0.1:
#   prometheus + promtool (2.53.x), prometheus-alertmanager (0.28.x), victoria-metrics (1.112.x),
#   influxdb (1.6.x)
# taken from Debian trixie's packages (this machine runs bookworm, whose versions are older;
# influxdb is 1.6.7~rc0 in both bookworm and trixie, so trixie's serves as well), and
#   QuestDB (a Java server) from Maven Central, fetched with this repository's ./mvnw
#   (Maven's own download and checksum check) into questdb/, and, through tools/install-chromium.sh,
#   Debian's chromium + chromium-driver (system packages, for the console's browser tests).
#
#   tools/fetch-test-servers.sh        # prints the env file at the end
#
# Installs into ${STREAMMETRICS_TOOLS_DIR:-$HOME/.cache/streammetrics/tools}:
#   root/    the .debs unpacked with `dpkg -x` (nothing is installed system-wide)
#   bin/     alertmanager wrapper (see below)
#   questdb/ questdb-<version>.jar (run with java -p <jar> -m io.questdb/io.questdb.ServerMain)
#   env      KEY=VALUE lines with absolute paths: PROMETHEUS, PROMTOOL, ALERTMANAGER,
#            VICTORIA_METRICS, ALERTMANAGER_TEMPLATE, INFLUXD, QUESTDB_JAR, ...
#            (Java-properties compatible)
#   apt/     private apt configuration, lists and cache
#
# How: apt-get update / apt-get download run against a private apt configuration
# (APT_CONFIG file setting every Dir:: that apt writes to or reads sources, keys and
# preferences from) so the system's apt configuration, lists, cache and dpkg status
# are never written. The archive URI is read at run time from the system's own apt
# sources (the entry for this release's codename, component main) and used with
# suite trixie. Signatures: see verify notes in update_trixie() below.
#
# Idempotent: when the env file matches the wanted package set it only prints it.
# Safe to run concurrently: the work is done under flock on $DIR/.lock.
#
# Overrides (rarely needed):
#   STREAMMETRICS_TOOLS_DIR        where to install (default ~/.cache/streammetrics/tools)
#   STREAMMETRICS_DEBIAN_URI       archive URI, instead of the one in the system's sources
#   STREAMMETRICS_DEBIAN_KEYRING   trust anchor (default the system's debian-archive-keyring.gpg)
set -euo pipefail

SUITE=trixie
PACKAGES=(prometheus promtool prometheus-alertmanager victoria-metrics influxdb)
# Upstream version each package must have (prefix of the Debian version).
declare -A EXPECTED=(
  [prometheus]=2.53.
  [promtool]=2.53.
  [prometheus-alertmanager]=0.28.
  [victoria-metrics]=1.112.
  [influxdb]=1.6.
)
# QuestDB from Maven Central (org.questdb:questdb; 9.x runs on Java 17).
QUESTDB_VERSION=9.3.4
# Bump when the layout of $DIR or the env file changes: forces a reinstall.
LAYOUT=2
STAMP="layout=$LAYOUT suite=$SUITE packages=${PACKAGES[*]} questdb=$QUESTDB_VERSION"

DIR="${STREAMMETRICS_TOOLS_DIR:-${HOME:?HOME is not set}/.cache/streammetrics/tools}"
SYSTEM_KEYRING="${STREAMMETRICS_DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}"
ROOT="$DIR/root"

log() { printf 'fetch-test-servers: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Chromium + ChromeDriver for the console's browser tests: system packages installed by apt-get (their shared
# libraries rule out an unpacked copy), paths in $DIR/chromium.env. See tools/install-chromium.sh.
"$(dirname "${BASH_SOURCE[0]}")/install-chromium.sh"

# Fast path: everything in place for this package set.
installed() {
  [[ -f "$DIR/stamp" && -f "$DIR/env" ]] || return 1
  [[ "$(cat "$DIR/stamp")" == "$STAMP" ]] || return 1
  local key value
  while IFS='=' read -r key value; do
    case "$key" in
      PROMETHEUS|PROMTOOL|ALERTMANAGER|VICTORIA_METRICS|INFLUXD) [[ -x "$value" ]] || return 1 ;;
      ALERTMANAGER_TEMPLATE|QUESTDB_JAR) [[ -f "$value" ]] || return 1 ;;
    esac
  done < "$DIR/env"
}

if installed; then
  cat "$DIR/env"
  exit 0
fi

for tool in apt-get apt-cache apt-config dpkg-deb flock perl; do
  command -v "$tool" >/dev/null || die "'$tool' is required"
done

mkdir -p "$DIR"
exec 9>"$DIR/.lock"
if ! flock -n 9; then
  log "waiting for another run to finish (lock $DIR/.lock)"
  flock 9
fi
# Another run may have finished the work while we waited.
if installed; then
  cat "$DIR/env"
  exit 0
fi
# From here on the install is incomplete until the stamp is written again.
rm -f "$DIR/stamp"

# ---------------------------------------------------------------------------
# The Debian archive URI, from the system's own apt sources (read only).
# ---------------------------------------------------------------------------
codename() {
  local c=""
  if [[ -r /etc/os-release ]]; then
    c="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"
  fi
  printf '%s' "${c:-bookworm}"
}

archive_uri() {
  if [[ -n "${STREAMMETRICS_DEBIAN_URI:-}" ]]; then
    printf '%s' "$STREAMMETRICS_DEBIAN_URI"
    return
  fi
  local cn SL="" SP="" uri="" f
  cn="$(codename)"
  # Where this system keeps its sources (normally /etc/apt/sources.list{,.d}).
  eval "$(env -u APT_CONFIG apt-config shell SL Dir::Etc::sourcelist/f SP Dir::Etc::sourceparts/d 2>/dev/null || true)"
  SL="${SL:-/etc/apt/sources.list}"
  SP="${SP:-/etc/apt/sources.list.d}"
  SP="${SP%/}"

  # deb822 (*.sources): the first stanza whose Types has deb, Suites the codename and
  # Components main, and that is not Enabled: no.
  local files=()
  for f in "$SP"/*.sources; do [[ -f "$f" ]] && files+=("$f"); done
  if ((${#files[@]})); then
    uri="$(awk -v cn="$cn" '
      function has(list, word,   n, a, i) { n = split(list, a, /[ \t]+/); for (i = 1; i <= n; i++) if (a[i] == word) return 1; return 0 }
      function flush(   n, u, i) {
        if (!found && has(f["types"], "deb") && has(f["suites"], cn) && has(f["components"], "main") && tolower(f["enabled"]) !~ /no/) {
          n = split(f["uris"], u, /[ \t]+/)
          for (i = 1; i <= n; i++) if (u[i] != "") { print u[i]; found = 1; break }
        }
        split("", f); last = ""
      }
      FNR == 1 { flush() }
      /^#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { if (last != "") f[last] = f[last] " " $0; next }
      {
        key = tolower(substr($0, 1, index($0, ":") - 1)); f[key] = substr($0, index($0, ":") + 1); last = key
      }
      END { flush() }
    ' "${files[@]}")"
  fi

  # One-line format (sources.list, *.list): deb [options] URI SUITE COMPONENT...
  if [[ -z "$uri" ]]; then
    files=()
    [[ -f "$SL" ]] && files+=("$SL")
    for f in "$SP"/*.list; do [[ -f "$f" ]] && files+=("$f"); done
    if ((${#files[@]})); then
      uri="$(sed -e 's/#.*//' -e 's/\[[^]]*\]//' "${files[@]}" |
        awk -v cn="$cn" '$1 == "deb" && $3 == cn { for (i = 4; i <= NF; i++) if ($i == "main") { print $2; exit } }')"
    fi
  fi
  printf '%s' "$uri"
}

URI="$(archive_uri)"
[[ -n "$URI" ]] || die "no 'deb <URI> $(codename) main' entry in the system's apt sources; set STREAMMETRICS_DEBIAN_URI"
case "$URI" in
  http://*|https://*|mirror://*|mirror+http://*|mirror+https://*) ;;
  *) die "unsupported archive URI scheme in the system's apt sources: $URI (set STREAMMETRICS_DEBIAN_URI)" ;;
esac
log "archive (from the system's apt sources): $URI, suite $SUITE"

# ---------------------------------------------------------------------------
# Private apt instances. Each is a directory holding its own apt.conf; the system's
# apt.conf.d is NOT read (its hooks, e.g. APT::Update::Post-Invoke-Success, would
# otherwise run), but its Acquire:: settings (proxies, Check-Valid-Until, ...) are
# carried over so that downloads behave as the system's own apt does.
# ---------------------------------------------------------------------------
new_apt() { # new_apt INSTANCE_DIR KEYRING SUITE...
  local inst="$1" keyring="$2"; shift 2
  rm -rf "$inst"
  mkdir -p "$inst"/etc/{apt.conf.d,sources.list.d,preferences.d,trusted.gpg.d} \
    "$inst"/state/lists/partial "$inst"/cache/archives/partial "$inst"/log
  local s
  for s in "$@"; do
    printf 'deb [signed-by=%s] %s %s main\n' "$keyring" "$URI" "$s"
  done > "$inst/etc/sources.list"
  {
    env -u APT_CONFIG apt-config dump 2>/dev/null | grep -E '^Acquire::' |
      grep -vE '^Acquire::(IndexTargets|Languages|CompressionTypes|GzipIndexes)' || true
    cat <<EOF
Dir::Etc::main "/dev/null";
Dir::Etc::parts "$inst/etc/apt.conf.d";
Dir::Etc::sourcelist "$inst/etc/sources.list";
Dir::Etc::sourceparts "$inst/etc/sources.list.d";
Dir::Etc::preferences "/dev/null";
Dir::Etc::preferencesparts "$inst/etc/preferences.d";
Dir::Etc::trusted "/dev/null";
Dir::Etc::trustedparts "$inst/etc/trusted.gpg.d";
Dir::State "$inst/state";
Dir::State::lists "$inst/state/lists";
Dir::State::status "/dev/null";
Dir::State::extended_states "$inst/state/extended_states";
Dir::Cache "$inst/cache";
Dir::Cache::archives "$inst/cache/archives";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Dir::Log "$inst/log";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
Acquire::Languages "none";
Acquire::GzipIndexes "true";
Acquire::AllowInsecureRepositories "false";
Acquire::AllowDowngradeToInsecureRepositories "false";
EOF
    # As root apt downloads as user _apt, who cannot enter e.g. /root/.cache.
    if [[ "$(id -u)" == 0 ]]; then echo 'APT::Sandbox::User "root";'; fi
  } > "$inst/apt.conf"
}

apt_in() { # apt_in INSTANCE_DIR COMMAND...
  local inst="$1"; shift
  APT_CONFIG="$inst/apt.conf" "$@"
}

apt_update() { # apt_update INSTANCE_DIR: fails on any error, including signatures
  apt_in "$1" apt-get -q update --error-on=any > "$1/log/update.log" 2>&1
}

report_signatures() { # which keys signed the InRelease files apt accepted
  local inst="$1" keyring="$2" f
  command -v gpgv >/dev/null || return 0
  for f in "$inst"/state/lists/*_InRelease; do
    [[ -f "$f" ]] || continue
    gpgv --keyring "$keyring" "$f" 2>&1 | sed -n 's/^gpgv: Good signature from /  good signature: /p' >&2 || true
  done
}

# Signatures. apt verifies trixie's InRelease against KEYRING (signed-by), then the
# Packages index against its hashes, then every downloaded .deb against the index.
# 1. KEYRING = the system's debian-archive-keyring.gpg. Bookworm's carries trixie's keys
#    since 2023.3+deb12u2, and trixie's InRelease is also signed by bookworm's archive
#    key, so this normally just works.
# 2. If that fails on signatures (an older keyring, or bookworm's key no longer signing
#    trixie), take the newest debian-archive-keyring package of THIS release (codename,
#    main): that suite is verified by the system keyring itself, so the chain is
#    system keyring -> bookworm InRelease -> Packages -> .deb -> trixie's keys.
#    (Trixie's own keyring package could only be verified by the keys it is meant to
#    bring, so it is not used.)
KEYRING="$SYSTEM_KEYRING"
[[ -r "$KEYRING" ]] || die "keyring $KEYRING not found (package debian-archive-keyring)"
APT_TRIXIE="$DIR/apt"

update_trixie() {
  new_apt "$APT_TRIXIE" "$KEYRING" "$SUITE"
  apt_update "$APT_TRIXIE"
}

log "apt-get update ($SUITE, private lists in $APT_TRIXIE)"
if ! update_trixie; then
  if ! grep -qiE 'NO_PUBKEY|signature|not signed|EXPKEYSIG|KEYEXPIRED|REVKEYSIG|BADSIG' "$APT_TRIXIE/log/update.log"; then
    cat "$APT_TRIXIE/log/update.log" >&2
    die "apt-get update for $SUITE failed"
  fi
  log "$KEYRING does not verify $SUITE; fetching $(codename)'s current debian-archive-keyring (verified by $KEYRING)"
  boot="$DIR/apt-keyring"
  new_apt "$boot" "$SYSTEM_KEYRING" "$(codename)"
  if ! apt_update "$boot"; then
    cat "$APT_TRIXIE/log/update.log" "$boot/log/update.log" >&2
    die "could not verify $(codename) with $SYSTEM_KEYRING either"
  fi
  rm -rf "$DIR/keyring" "$boot/debs"
  mkdir -p "$boot/debs"
  (cd "$boot/debs" && apt_in "$boot" apt-get -q download debian-archive-keyring) >&2
  dpkg-deb -x "$boot"/debs/debian-archive-keyring_*.deb "$DIR/keyring"
  KEYRING="$DIR/keyring/usr/share/keyrings/debian-archive-keyring.gpg"
  log "using $KEYRING ($(dpkg-deb -f "$boot"/debs/debian-archive-keyring_*.deb Version))"
  rm -rf "$boot"
  if ! update_trixie; then
    cat "$APT_TRIXIE/log/update.log" >&2
    die "apt-get update for $SUITE failed with $KEYRING too"
  fi
fi
log "$SUITE InRelease verified with $KEYRING:"
report_signatures "$APT_TRIXIE" "$KEYRING"

# ---------------------------------------------------------------------------
# Download (apt checks each .deb against the signed index) and unpack.
# ---------------------------------------------------------------------------
wanted=()
for p in "${PACKAGES[@]}"; do
  v="$(apt_in "$APT_TRIXIE" apt-cache policy "$p" | awk '/^ *Candidate:/ { print $2 }')"
  [[ -n "$v" && "$v" != "(none)" ]] || die "package $p not found in $SUITE"
  [[ "$v" == "${EXPECTED[$p]}"* ]] || die "$SUITE has $p $v, expected ${EXPECTED[$p]}x"
  log "$p $v"
  wanted+=("$p=$v")
done

DEBS="$DIR/debs"
rm -rf "$DEBS"
mkdir -p "$DEBS"
log "apt-get download ${wanted[*]}"
(cd "$DEBS" && apt_in "$APT_TRIXIE" apt-get -q download "${wanted[@]}") >&2

rm -rf "$ROOT.new"
mkdir -p "$ROOT.new"
for deb in "$DEBS"/*.deb; do
  dpkg-deb -x "$deb" "$ROOT.new"
done

# Debian's alertmanager reads its default notification templates from the hard-coded
# directory /usr/share/prometheus/alertmanager (not from the config; it fails to load
# any config without them). Keep Debian's binary as is and make a copy in which that
# directory is the same-length relative path usr//share/prometheus/alertmanager, plus a
# wrapper that runs the copy from $ROOT, so it finds $ROOT/usr/share/prometheus/alertmanager.
# (The --web.ui-path default, same prefix, becomes relative the same way.)
am_dir=/usr/share/prometheus/alertmanager
am_rel=usr//share/prometheus/alertmanager
[[ ${#am_dir} == "${#am_rel}" ]] || die "internal: alertmanager path lengths differ"
[[ -f "$ROOT.new$am_dir/default.tmpl" ]] || die "default.tmpl not found in prometheus-alertmanager"
grep -qaF "$am_dir" "$ROOT.new/usr/bin/prometheus-alertmanager" ||
  die "prometheus-alertmanager no longer names $am_dir: revisit the template workaround"
perl -0777 -pe "s{\\Q$am_dir\\E}{$am_rel}g" "$ROOT.new/usr/bin/prometheus-alertmanager" \
  > "$ROOT.new/usr/bin/prometheus-alertmanager.relative-templates"
chmod 755 "$ROOT.new/usr/bin/prometheus-alertmanager.relative-templates"

rm -rf "$ROOT" "$DIR/bin"
mv "$ROOT.new" "$ROOT"
mkdir -p "$DIR/bin"
cat > "$DIR/bin/alertmanager" <<EOF
#!/bin/sh
# Debian's prometheus-alertmanager, run from the unpacked tree so that it finds its
# default templates (see tools/fetch-test-servers.sh). Pass absolute paths only.
cd '$ROOT' || exit 1
exec '$ROOT/usr/bin/prometheus-alertmanager.relative-templates' "\$@"
EOF
chmod 755 "$DIR/bin/alertmanager"
rm -rf "$DEBS"

# ---------------------------------------------------------------------------
# Check that each binary runs here (shared libraries, glibc symbols).
# ---------------------------------------------------------------------------
PROMETHEUS="$ROOT/usr/bin/prometheus"
PROMTOOL="$ROOT/usr/bin/promtool"
ALERTMANAGER="$DIR/bin/alertmanager"
VICTORIA_METRICS="$ROOT/usr/bin/victoria-metrics"
ALERTMANAGER_TEMPLATE="$ROOT$am_dir/default.tmpl"
INFLUXD="$ROOT/usr/bin/influxd"

for bin in "$PROMETHEUS" "$PROMTOOL" "$ROOT/usr/bin/prometheus-alertmanager" "$VICTORIA_METRICS" "$INFLUXD"; do
  [[ -x "$bin" ]] || die "$bin missing from the packages"
  if command -v ldd >/dev/null && missing="$(ldd "$bin" 2>&1 | grep -E 'not found|version .* not found')"; then
    die "$bin needs shared libraries this system lacks: $missing"
  fi
done
check_version() { # check_version NAME EXPECTED_PREFIX COMMAND...
  local name="$1" want="$2" out; shift 2
  out="$("$@" 2>&1)" || die "$name does not run: $out"
  grep -qE "version ${want//./\\.}" <<<"$out" || die "$name reports '$(head -n 1 <<<"$out")', expected $want"
  log "ok: $(head -n 1 <<<"$out")"
}
check_version prometheus 2.53. "$PROMETHEUS" --version
check_version promtool 2.53. "$PROMTOOL" --version
check_version alertmanager 0.28. "$ALERTMANAGER" --version
# Debian builds victoria-metrics without its version stamp: -version prints an empty line.
"$VICTORIA_METRICS" -version >/dev/null 2>&1 || die "victoria-metrics does not run"
log "ok: victoria-metrics runs (its -version is empty in Debian's build)"
out="$("$INFLUXD" version 2>&1)" || die "influxd does not run: $out"
grep -qE '^InfluxDB v1\.6\.' <<<"$out" || die "influxd reports '$out', expected v1.6.x"
log "ok: $out"

# ---------------------------------------------------------------------------
# QuestDB: a jar on Maven Central. Maven downloads it into the local repository (with
# --strict-checksums: a checksum mismatch fails) and copies it here.
# ---------------------------------------------------------------------------
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QUESTDB_DIR="$DIR/questdb"
QUESTDB_JAR="$QUESTDB_DIR/questdb-$QUESTDB_VERSION.jar"
rm -rf "$QUESTDB_DIR"
mkdir -p "$QUESTDB_DIR"
# Once the jar is in the local repository Maven does not go online for it again.
mvn_flags=(-B -q --strict-checksums)
log "QuestDB $QUESTDB_VERSION from Maven Central (./mvnw dependency:copy)"
# Run from $QUESTDB_DIR (no pom.xml there) so that Maven does not build this project.
(cd "$QUESTDB_DIR" && "$REPO_DIR/mvnw" "${mvn_flags[@]}" \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
  -Dartifact="org.questdb:questdb:$QUESTDB_VERSION:jar" -DoutputDirectory="$QUESTDB_DIR") >&2 ||
  die "could not fetch org.questdb:questdb:$QUESTDB_VERSION with Maven"
[[ -f "$QUESTDB_JAR" ]] || die "$QUESTDB_JAR missing after the Maven copy"

version_of() { apt_in "$APT_TRIXIE" apt-cache policy "$1" | awk '/^ *Candidate:/ { print $2 }'; }

{
  echo "# Written by tools/fetch-test-servers.sh: Debian $SUITE packages unpacked under TOOLS_ROOT."
  echo "TOOLS_ROOT=$ROOT"
  echo "PROMETHEUS=$PROMETHEUS"
  echo "PROMTOOL=$PROMTOOL"
  echo "ALERTMANAGER=$ALERTMANAGER"
  echo "VICTORIA_METRICS=$VICTORIA_METRICS"
  echo "ALERTMANAGER_TEMPLATE=$ALERTMANAGER_TEMPLATE"
  echo "INFLUXD=$INFLUXD"
  echo "QUESTDB_JAR=$QUESTDB_JAR"
  echo "PROMETHEUS_VERSION=$(version_of prometheus)"
  echo "ALERTMANAGER_VERSION=$(version_of prometheus-alertmanager)"
  echo "VICTORIA_METRICS_VERSION=$(version_of victoria-metrics)"
  echo "INFLUXDB_VERSION=$(version_of influxdb)"
  echo "QUESTDB_VERSION=$QUESTDB_VERSION"
} > "$DIR/env.new"
mv "$DIR/env.new" "$DIR/env"
printf '%s\n' "$STAMP" > "$DIR/stamp"
log "installed into $DIR"
cat "$DIR/env"
