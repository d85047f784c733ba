#!/usr/bin/env bash
# Installs what the build needs, builds the engine jar and lays out dist/:
#   dist/ddabridge        launcher
#   dist/ddabridge.jar    engine + CLI (shaded)
#   dist/ddabridge.jsa    class-data sharing archive for a fast start
#   dist/share/           man page and bash/zsh completion, generated from the CLI's picocli model
#   dist/DdaBridge/       the PowerShell module, ready for Import-Module (ModuleVersion stamped from the jar);
#                         self-contained: its engine is dist/DdaBridge/engine/ddabridge.jar (+ .jsa), so the
#                         folder can be copied into any PSModulePath folder as it is
#   dist/DdaBridge.HyperVCompat/  its opt-in Hyper-V/PnpDevice compatibility module
# Idempotent: a second run installs nothing and rebuilds only what changed (Maven decides).
#
#   ./build.sh                     build dist/ (build dependencies only: Maven, the JDK, Debian's Java libraries)
#   ./build.sh install [PREFIX]    build, then install into PREFIX (default /usr/local; DESTDIR is honoured):
#                                  PREFIX/bin/ddabridge, PREFIX/lib/ddabridge/, the man page, bash and zsh
#                                  completion, PREFIX/share/powershell/Modules/{DdaBridge,DdaBridge.HyperVCompat}
# The test suites' own dependencies (QEMU, libvirt, Chromium, sshd, iasl, PowerShell, Pester) are installed by
# tests/install-deps.sh, which ./test.sh runs first.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "$0")" && pwd)
cd "$REPO_ROOT"
. tests/lib/tools.sh

# What building and running the CLI needs; pciutils brings pci.ids (device names).
BUILD_PACKAGES=(
  maven default-jdk-headless
  libjna-java libjna-platform-java libgoogle-gson-java libcommons-exec-java libpicocli-java junit5
  libsurefire-java libmaven-compiler-plugin-java libmaven-shade-plugin-java libmaven-jar-plugin-java
  libmaven-resources-plugin-java libmaven-install-plugin-java
  pciutils
)

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
# A JVM cannot ask whether its stdout is a terminal, nor how wide it is: tell it (colour, table width).
if [ -t 1 ]; then
  export DDABRIDGE_TTY=1
  cols=$(stty size </dev/tty 2>/dev/null | cut -d' ' -f2)
  [ -n "$cols" ] && export DDABRIDGE_TTY_COLUMNS="$cols"
fi
# One-shot commands: C1 only and the serial GC start fastest. `serve` lives long: full tiered
# compilation; the serial GC with a 32 MB young generation, a small initial heap and little free
# space kept after a full collection hold its memory near what a request really holds (the parallel
# GC's default heap on a large machine grew to 2.3 GB at 16k functions, mostly dead objects promoted
# into an old generation that was never collected; tests/bench measures time and peak RSS).
if [ "${1:-}" = serve ]; then set -- -XX:+UseSerialGC -Xmn32m -Xms64m -XX:MinHeapFreeRatio=20 \
  -XX:MaxHeapFreeRatio=40 -jar "$here/ddabridge.jar" "$@"
else set -- -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$here/ddabridge.jar" "$@"; fi
if [ -f "$here/ddabridge.jsa" ]; then
  # A stale archive (jar rebuilt by hand) is ignored silently instead of warning on stderr.
  exec "$java" -Xshare:auto -XX:SharedArchiveFile="$here/ddabridge.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off "$@"
fi
exec "$java" -Xshare:auto "$@"
LAUNCHER
  chmod +x dist/ddabridge
  # The version comes from one place: the pom, through the jar's manifest, as `--version` prints it.
  local version; version=$(java -jar dist/ddabridge.jar --version | sed -n 's/^ddabridge //p')
  [ -n "$version" ] && [ "$version" != dev ] || { log "the jar has no version in its manifest"; return 1; }
  # Both module folders side by side, as in a PSModulePath folder (the compat module imports
  # DdaBridge from its sibling folder). A module version is numeric: 0.1.0-SNAPSHOT is stamped 0.1.0.
  local module
  for module in DdaBridge DdaBridge.HyperVCompat; do
    rm -rf "dist/$module"
    if [ -d "powershell-module/$module" ]; then
      cp -r "powershell-module/$module" "dist/$module"
      stamp_module_version "$version" "dist/$module/$module.psd1"
    fi
  done
  # Man page and completion from the CLI's own model (org.ddabridge.cli.Docs).
  rm -rf dist/share && mkdir -p dist/share/man/man1 dist/share/completion
  java -cp dist/ddabridge.jar org.ddabridge.cli.Docs dist/share/completion
  mv dist/share/completion/ddabridge.1 dist/share/man/man1/ddabridge.1
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
  # The stamp names the jar's path too: archives made before it was absolute are made again.
  local sum; sum="$(sha256sum "$jar" | cut -d' ' -f1) $(stat -c %Y "$jar") $(readlink -f "$jar")"
  if [ -f "$jsa" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then return 0; fi
  log "building the class-data sharing archive for $jar"
  rm -f "$jsa"
  # The archive records the class path as given: the jar's absolute path, as the launcher (and the module)
  # name it. A relative one made the archive unusable from any other working directory (silently: the
  # launcher turns CDS warnings off).
  local abs_jar abs_jsa; abs_jar=$(readlink -f "$jar"); abs_jsa=$(readlink -f "$jsa")
  # Trained on the commands people start cold (survey, devices, version, help, errors; org.ddabridge.cli.CdsTraining),
  # all in this one run, on a fixture image and this machine (reads only).
  local fixture=tests/fixtures/hosts/qemu-reference.tar.gz
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ArchiveClassesAtExit="$jsa" \
    -cp "$abs_jar" org.ddabridge.cli.CdsTraining "$(readlink -f "$fixture")" >/dev/null 2>&1 || true
  if [ -f "$jsa" ] && (cd / && java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:on \
      -XX:SharedArchiveFile="$abs_jsa" -jar "$abs_jar" version --json >/dev/null 2>&1); then
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

# The usual places under PREFIX (DESTDIR for staging, e.g. a package build: no archive is made there,
# since a class-data sharing archive records the jar's final path).
install_into() {
  local prefix=${1:-/usr/local} dest=${DESTDIR:-}
  case $prefix in /*) ;; *) prefix=$(pwd)/$prefix ;; esac
  local root=$dest$prefix
  log "installing into $root"
  install -d "$root/bin" "$root/lib/ddabridge" "$root/share/man/man1" "$root/share/bash-completion/completions" \
    "$root/share/zsh/site-functions" "$root/share/doc/ddabridge" "$root/share/powershell/Modules"
  install -m 0644 dist/ddabridge.jar "$root/lib/ddabridge/ddabridge.jar"
  install -m 0755 dist/ddabridge "$root/lib/ddabridge/ddabridge"
  ln -sfn ../lib/ddabridge/ddabridge "$root/bin/ddabridge"
  install -m 0644 dist/share/man/man1/ddabridge.1 "$root/share/man/man1/ddabridge.1"
  install -m 0644 dist/share/completion/ddabridge.bash "$root/share/bash-completion/completions/ddabridge"
  install -m 0644 dist/share/completion/_ddabridge "$root/share/zsh/site-functions/_ddabridge"
  install -m 0644 LICENSE README.md "$root/share/doc/ddabridge/"
  local module
  for module in DdaBridge DdaBridge.HyperVCompat; do
    [ -d "dist/$module" ] || continue
    rm -rf "$root/share/powershell/Modules/$module"
    cp -r "dist/$module" "$root/share/powershell/Modules/$module"
  done
  # The module folder carries its own engine (engine/ddabridge.jar); class-data sharing archives record
  # their jar's path, so both are made afresh for the installed paths.
  local menginedir=$root/share/powershell/Modules/DdaBridge/engine
  rm -f "$root/lib/ddabridge/ddabridge.jsa" "$root/lib/ddabridge/ddabridge.jsa.sha" "$menginedir/ddabridge.jsa"
  if [ -z "$dest" ]; then
    build_cds_archive "$root/lib/ddabridge/ddabridge.jar" "$root/lib/ddabridge/ddabridge.jsa.sha"
    [ -f "$menginedir/ddabridge.jar" ] && build_cds_archive "$menginedir/ddabridge.jar" "$menginedir/ddabridge.jsa.sha"
  fi
  log "installed: $root/bin/ddabridge ($("$root/bin/ddabridge" --version))"
}

install_missing_debian_packages "${BUILD_PACKAGES[@]}"
build_jar
lay_out_dist
build_cds_archive
build_module_cds_archive
log "built: dist/ddabridge, dist/ddabridge.jar, dist/share/$( [ -d dist/DdaBridge ] && echo ', dist/DdaBridge/')$( [ -d dist/DdaBridge.HyperVCompat ] && echo ', dist/DdaBridge.HyperVCompat/')"
if [ "${1:-}" = install ]; then
  install_into "${2:-/usr/local}"
fi
