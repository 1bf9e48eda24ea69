#!/usr/bin/env bash
# Installs what the test suite drives besides Python packages, only what is missing:
# Debian packages (one `apt-get update` first) and pinned npm packages in .ci/node.
# Idempotent: a second run installs nothing and prints nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

# command -> Debian package, and why the tests need it.
declare -A WHY=(
  [chromium]="the website's tests drive a real headless Chromium"
  [virtuoso-opensource]="Virtuoso is the fourth engine of the differential manifest"
  [libreoffice-calc-nogui]="LibreOffice opens, saves and converts the stewards' workbook"
  [libapache-jena-java]="Jena SHACL is one of the three SHACL peers"
  [default-jre-headless]="Java runs Jena SHACL"
)
missing=()
for pkg in chromium virtuoso-opensource libreoffice-calc-nogui libapache-jena-java default-jre-headless; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  for pkg in "${missing[@]}"; do echo "make test installs $pkg: ${WHY[$pkg]}." >&2; done
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages, pinned; the list is the one place their versions are written.
NPM=(axe-core@4.14.1 shacl-engine@1.1.2 n3@2.13.12 lighthouse@12.2.3)
need=()
for spec in "${NPM[@]}"; do
  name=${spec%@*}; version=${spec##*@}
  file=.ci/node/node_modules/$name/package.json
  if [ ! -f "$file" ] || ! grep -q "\"version\": \"$version\"" "$file"; then need+=("$spec"); fi
done
if ((${#need[@]})); then
  # --no-save prunes what it is not given: the whole list goes in each time.
  echo "make test installs ${need[*]} into .ci/node: axe-core checks the pages' accessibility, lighthouse scores them, shacl-engine and n3 are a SHACL peer." >&2
  npm install --prefix .ci/node --no-save --no-audit --no-fund --loglevel=error "${NPM[@]}" >/dev/null
fi
