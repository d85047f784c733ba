#!/usr/bin/env bash
# What the test suites need beyond the build (./build.sh installs that): QEMU and the guest's tools for the
# e2e suite, Chromium (the HTML report in a real browser), sshd (Invoke-DdaSurvey over real SSH), iasl
# (AcpiRealTablesTest compares the DMAR decoding with `iasl -d`), libvirt (LibvirtApiTest calls the real
# libvirt0 through JNA; the e2e suite's guest runs the daemon), PowerShell 7.6.9 and Pester 5.
# Idempotent; ./test.sh runs it first.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO_ROOT"
. tests/lib/tools.sh

TEST_PACKAGES=(
  qemu-system-x86 busybox-static cpio kmod
  chromium openssh-server
  acpica-tools libvirt0 libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu libvirt-daemon-system
)
POWERSHELL_VERSION=7.6.9

install_powershell() {
  local pwsh
  if pwsh=$(find_pwsh) && "$pwsh" -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null | grep -q "^$POWERSHELL_VERSION"; then
    return 0
  fi
  log "installing PowerShell $POWERSHELL_VERSION (dotnet global tool)"
  dotnet tool update --global PowerShell --version "$POWERSHELL_VERSION" </dev/null >/dev/null \
    || dotnet tool install --global PowerShell --version "$POWERSHELL_VERSION" </dev/null >/dev/null
}

install_missing_debian_packages "${TEST_PACKAGES[@]}"
install_powershell
if [ -x tests/pester/Install-Pester.sh ]; then
  tests/pester/Install-Pester.sh >/dev/null
fi
