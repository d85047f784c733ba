#!/usr/bin/env bash
# Installs what is missing, builds the engine jar and lays out dist/:
#   dist/ddabridge        launcher
#   dist/ddabridge.jar    engine + CLI (shaded)
#   dist/ddabridge.jsa    class-data sharing archive for a fast start
#   dist/DdaBridge/       the PowerShell module, ready for Import-Module; self-contained: its engine
#                         is dist/DdaBridge/engine/ddabridge.jar (+ .jsa), so the folder can be copied
#                         into any PSModulePath folder as it is
#   dist/DdaBridge.HyperVCompat/  its opt-in Hyper-V/PnpDevice compatibility module
# Idempotent: a second run installs nothing and rebuilds only what changed (Maven decides).
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "$0")" && pwd)
cd "$REPO_ROOT"
. tests/lib/tools.sh

DEBIAN_PACKAGES=(
  maven default-jdk-headless
  libjna-java libjna-platform-java libgoogle-gson-java libcommons-exec-java libpicocli-java junit5
  libsurefire-java libmaven-compiler-plugin-java libmaven-shade-plugin-java libmaven-jar-plugin-java
  libmaven-resources-plugin-java libmaven-install-plugin-java
  pciutils qemu-system-x86 busybox-static cpio kmod
  chromium openssh-server   # tests only: the HTML report in a real browser, Invoke-DdaSurvey over real sshd
)
# Needed only by the tests: iasl (AcpiRealTablesTest compares the DMAR decoding with `iasl -d`); libvirt
# (LibvirtApiTest calls the real libvirt0 through JNA before the e2e suite installs the daemon for its guest).
TEST_PACKAGES=(acpica-tools libvirt0 libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu libvirt-daemon-system)
POWERSHELL_VERSION=7.6.9

install_debian_packages() {
  local missing=()
  for p in "${DEBIAN_PACKAGES[@]}" "${TEST_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
  fi
}

install_powershell() {
  local pwsh
  if pwsh=$(find_pwsh) && "$pwsh" -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null | grep -q "^$POWERSHELL_VERSION"; then
    return 0
  fi
  log "installing PowerShell $POWERSHELL_VERSION (dotnet global tool)"
  dotnet tool update --global PowerShell --version "$POWERSHELL_VERSION" </dev/null >/dev/null \
    || dotnet tool install --global PowerShell --version "$POWERSHELL_VERSION" </dev/null >/dev/null
}

install_pester() {
  if [ -x tests/pester/Install-Pester.sh ]; then
    tests/pester/Install-Pester.sh >/dev/null
  fi
}

build_jar() {
  log "building the engine (Maven, Debian repository)"
  mvn_debian -q -DskipTests package
}

lay_out_dist() {
  mkdir -p dist
  # Only a changed jar is copied: the class-data sharing archive is checked against its time stamp.
  cmp -s java-core/target/ddabridge.jar dist/ddabridge.jar ||
    { cp java-core/target/ddabridge.jar dist/ddabridge.jar.new && mv dist/ddabridge.jar.new dist/ddabridge.jar; }
  cat > dist/ddabridge <<'LAUNCHER'
#!/bin/sh
# DdaBridge launcher: start-up flags measured to matter (see README, "Speed").
here=$(dirname "$(readlink -f "$0")")
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
# One-shot commands: C1 only and the serial GC start fastest. `serve` lives long: full tiered
# compilation and the parallel GC make its warm requests faster (tests/bench measures both).
if [ "${1:-}" = serve ]; then set -- -XX:+UseParallelGC -jar "$here/ddabridge.jar" "$@"
else set -- -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$here/ddabridge.jar" "$@"; fi
if [ -f "$here/ddabridge.jsa" ]; then
  # A stale archive (jar rebuilt by hand) is ignored silently instead of warning on stderr.
  exec "$java" -Xshare:auto -XX:SharedArchiveFile="$here/ddabridge.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off "$@"
fi
exec "$java" -Xshare:auto "$@"
LAUNCHER
  chmod +x dist/ddabridge
  # Both module folders side by side, as in a PSModulePath folder (the compat module imports
  # DdaBridge from its sibling folder).
  local module
  for module in DdaBridge DdaBridge.HyperVCompat; do
    rm -rf "dist/$module"
    if [ -d "powershell-module/$module" ]; then
      cp -r "powershell-module/$module" "dist/$module"
    fi
  done
  # The module carries its own engine (found relative to the module, see EngineLaunch.ps1): copying
  # dist/DdaBridge into a PSModulePath folder installs both. The JVM checks a class-data sharing
  # archive against the jar's time stamp too, and Maven rewrites the jar on every build: an unchanged
  # jar keeps the time stamp of its cached copy, so the archive next to it stays usable.
  if [ -d dist/DdaBridge ]; then
    mkdir -p dist/DdaBridge/engine dist/.cache
    cmp -s java-core/target/ddabridge.jar dist/.cache/module-engine.jar ||
      cp -p java-core/target/ddabridge.jar dist/.cache/module-engine.jar
    cp -p dist/.cache/module-engine.jar dist/DdaBridge/engine/ddabridge.jar
  fi
}

# The archive is tied to the exact jar (contents and time stamp): rebuild whenever the jar changed,
# and prove it loads. $1: the jar; the archive is <jar without .jar>.jsa; $2: where its stamp lives.
build_cds_archive() {
  local jar=${1:-dist/ddabridge.jar} stamp=${2:-dist/ddabridge.jsa.sha}
  local jsa=${jar%.jar}.jsa
  local sum; sum="$(sha256sum "$jar" | cut -d' ' -f1) $(stat -c %Y "$jar")"
  if [ -f "$jsa" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then return 0; fi
  log "building the class-data sharing archive for $jar"
  rm -f "$jsa"
  local fixture=tests/fixtures/hosts/qemu-reference.tar.gz
  local args=(survey --json); [ -f "$fixture" ] && args+=(--root "$fixture")
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ArchiveClassesAtExit="$jsa" \
    -jar "$jar" "${args[@]}" >/dev/null 2>&1 || true
  if [ -f "$jsa" ] && java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:on \
      -XX:SharedArchiveFile="$jsa" -jar "$jar" version --json >/dev/null 2>&1; then
    echo "$sum" > "$stamp"
  else
    log "class-data sharing archive unusable here; $jar runs without it"
    rm -f "$jsa" "$stamp"
  fi
}

# The module's engine folder is laid out afresh by every build: keep its archive (and stamp) in
# dist/.cache between builds and put it back when the jar is still the same.
build_module_cds_archive() {
  [ -f dist/DdaBridge/engine/ddabridge.jar ] || return 0
  mkdir -p dist/.cache
  [ -f dist/.cache/module-engine.jsa ] && cp -pf dist/.cache/module-engine.jsa dist/DdaBridge/engine/ddabridge.jsa
  build_cds_archive dist/DdaBridge/engine/ddabridge.jar dist/.cache/module-engine.jsa.sha
  if [ -f dist/DdaBridge/engine/ddabridge.jsa ]; then cp -pf dist/DdaBridge/engine/ddabridge.jsa dist/.cache/module-engine.jsa; fi
}

install_debian_packages
install_powershell
install_pester
build_jar
lay_out_dist
build_cds_archive
build_module_cds_archive
log "built: dist/ddabridge, dist/ddabridge.jar$( [ -d dist/DdaBridge ] && echo ', dist/DdaBridge/')$( [ -d dist/DdaBridge.HyperVCompat ] && echo ', dist/DdaBridge.HyperVCompat/')"
