# Shared shell helpers for build.sh, test.sh and the test harnesses (sourced, not run).

# Finds pwsh: PATH first, then the dotnet global tool folder CI's PATH may lack.
find_pwsh() {
  if command -v pwsh >/dev/null 2>&1; then command -v pwsh; return 0; fi
  for p in "$HOME/.dotnet/tools/pwsh" /root/.dotnet/tools/pwsh; do
    [ -x "$p" ] && { echo "$p"; return 0; }
  done
  return 1
}

# Maven against Debian's repository (see .mvn/debian-settings.xml and DEVELOPERS.md).
mvn_debian() {
  mvn -B -s "$REPO_ROOT/.mvn/debian-settings.xml" "$@"
}

log() { printf '==> %s\n' "$*" >&2; }

# Installs the Debian packages of "$@" that are not installed yet (build.sh, tests/install-deps.sh).
install_missing_debian_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
  fi
}

# Writes VERSION into a module manifest's ModuleVersion (build.sh, on the dist/ copies). A module version is
# numeric, so a pre-release suffix is dropped: 0.1.0-SNAPSHOT is stamped 0.1.0.
stamp_module_version() {
  local version=$1 psd1=$2
  grep -Eq "^[[:space:]]*ModuleVersion[[:space:]]*=" "$psd1" || { log "$psd1 has no ModuleVersion"; return 1; }
  sed -i -E "s/^([[:space:]]*ModuleVersion[[:space:]]*=[[:space:]]*)'[^']*'/\1'${version%%-*}'/" "$psd1"
}
