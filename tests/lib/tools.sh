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
