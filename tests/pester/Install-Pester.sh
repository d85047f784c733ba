#!/usr/bin/env bash
# Installs Pester from NuGet into the NuGet global packages folder (idempotent)
# by restoring a throwaway project that only declares a PackageDownload.
# Prints the path of the module folder (the one holding Pester.psd1) on stdout.
set -euo pipefail

PESTER_VERSION="${PESTER_VERSION:-5.7.1}"
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
# The NuGet package keeps the module in tools/ (package ids are lower-cased on disk).
module_dir="$packages/pester/$PESTER_VERSION/tools"

if [[ ! -f "$module_dir/Pester.psd1" ]]; then
    command -v dotnet >/dev/null 2>&1 || { echo "Install-Pester: dotnet not found" >&2; exit 1; }
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    cat > "$work/PesterDownload.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>netstandard2.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Pester" Version="[$PESTER_VERSION]" />
  </ItemGroup>
</Project>
XML
    dotnet restore "$work/PesterDownload.csproj" --nologo >&2
fi

if [[ ! -f "$module_dir/Pester.psd1" ]]; then
    echo "Install-Pester: Pester.psd1 not found under $module_dir after restore" >&2
    exit 1
fi
echo "$module_dir"
