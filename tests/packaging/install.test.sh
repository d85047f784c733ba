#!/usr/bin/env bash
# Packaging: `./build.sh install PREFIX` into a temporary prefix, then what an administrator would use from it:
# PREFIX/bin/ddabridge --version prints the pom's version, the man page and both completions are where man,
# bash and zsh look, both PowerShell modules import by name with the stamped version. Also the version stamping
# on its own (a pre-release suffix dropped, a manifest without ModuleVersion refused).
set -uo pipefail
REPO_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO_ROOT"
. tests/lib/tools.sh

failures=0
ok() { printf 'PASS %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; failures=$((failures + 1)); }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }

tmp=$(mktemp -d /tmp/ddabridge-install-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

# The version in one place: the root pom's own <version> (the first one; the root pom has no parent).
pom_version=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
[ -n "$pom_version" ] || { echo "FAIL no <version> in pom.xml"; exit 1; }

# stamp_module_version alone, on a copy of the real manifest.
cp powershell-module/DdaBridge/DdaBridge.psd1 "$tmp/m.psd1"
stamp_module_version 9.8.7-rc1 "$tmp/m.psd1"
check "stamp drops the pre-release suffix" grep -Eq "^[[:space:]]*ModuleVersion[[:space:]]*=[[:space:]]*'9\.8\.7'" "$tmp/m.psd1"
printf '@{ RootModule = "x.psm1" }\n' > "$tmp/none.psd1"
check "stamp refuses a manifest without ModuleVersion" bash -c ". tests/lib/tools.sh; ! stamp_module_version 1.2.3 '$tmp/none.psd1' 2>/dev/null"

if ! ./build.sh install "$prefix" >"$tmp/build.log" 2>&1; then
  cat "$tmp/build.log"; echo "FAIL ./build.sh install $prefix"; exit 1
fi

check "bin/ddabridge --version is the pom's ($pom_version)" \
  test "$("$prefix/bin/ddabridge" --version)" = "ddabridge $pom_version"
check "version command agrees" bash -c "'$prefix/bin/ddabridge' version | grep -q '^ddabridge $pom_version '"
check "bin/ddabridge runs a survey from anywhere" bash -c "cd / && '$prefix/bin/ddabridge' survey --root '$REPO_ROOT/tests/fixtures/hosts/qemu-reference.tar.gz' --quiet 2>/dev/null | grep -q '^0000:01:00.0 '"
check "class-data sharing archive built for the installed jar" test -f "$prefix/lib/ddabridge/ddabridge.jsa"
check "man finds the page on the prefix's MANPATH" \
  bash -c "MANPATH='$prefix/share/man' man -w ddabridge | grep -qx '$prefix/share/man/man1/ddabridge.1'"
check "the page renders without groff warnings" \
  bash -c "test -z \"\$(groff -man -Tutf8 -ww -z '$prefix/share/man/man1/ddabridge.1' 2>&1)\""
check "bash completion registers for ddabridge" bash -c "source '$prefix/share/bash-completion/completions/ddabridge' && complete -p ddabridge | grep -q _complete_ddabridge"
check "zsh completion is a #compdef file" bash -c "head -1 '$prefix/share/zsh/site-functions/_ddabridge' | grep -qx '#compdef ddabridge'"
check "LICENSE installed (MIT)" grep -q '^MIT License' "$prefix/share/doc/ddabridge/LICENSE"
modules=$prefix/share/powershell/Modules
for m in DdaBridge DdaBridge.HyperVCompat; do
  check "$m manifest stamped ${pom_version%%-*}" \
    grep -Eq "^[[:space:]]*ModuleVersion[[:space:]]*=[[:space:]]*'${pom_version%%-*}'" "$modules/$m/$m.psd1"
done
check "engine jar inside the module folder" cmp -s "$prefix/lib/ddabridge/ddabridge.jar" "$modules/DdaBridge/engine/ddabridge.jar"
if pwsh=$(find_pwsh); then
  v=$(PSModulePath="$modules" "$pwsh" -NoProfile -NonInteractive -Command \
      'Import-Module DdaBridge -ErrorAction Stop; (Get-Module DdaBridge).Version.ToString()' 2>&1 | tail -1)
  check "Import-Module DdaBridge by name from PREFIX/share/powershell/Modules ($v)" test "$v" = "${pom_version%%-*}"
else
  bad "pwsh not found (tests/install-deps.sh installs it)"
fi

echo
if [ "$failures" -eq 0 ]; then echo "packaging: all checks passed"; else echo "packaging: $failures check(s) FAILED"; fi
[ "$failures" -eq 0 ]
