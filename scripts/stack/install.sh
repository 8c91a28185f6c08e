#!/usr/bin/env bash
# Installs the real monitoring stack that the tests run against, from Debian 12's packages.
# Idempotent: installs only the packages that are missing, and runs `apt-get update` only then.
#
# Debian's maintainer scripts would start each service on its default public port and register it
# for boot; a temporary policy-rc.d that exits 101 blocks that (the tests start the binaries
# themselves, see stack.sh). An existing policy-rc.d is put back afterwards, even on failure.
#
# Timing, on a 2-core Debian 12 machine: from cold (apt-get update and every package but PostgreSQL,
# which that machine's image already had) 12 s; when everything is present, 0.05 s.
set -euo pipefail

readonly PACKAGES=(
  prometheus
  prometheus-pushgateway
  victoria-metrics
  nginx
  apache2-utils
  postgresql
  redis-server # @promenade/cache's tests and the demo's cache; stack.sh starts it on loopback
  mariadb-server # the mysql2 wrapper's tests (packages/db)
  python3-prometheus-client
  valgrind # bench/instructions.mjs counts instructions per request under callgrind
  chromium # examples/dog-walker's browser test drives it with playwright-core
)
readonly POLICY=/usr/sbin/policy-rc.d

is_installed() {
  local status
  status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)
  [[ $status == 'install ok installed' ]]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
  is_installed "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "stack: all packages present (${PACKAGES[*]})"
  exit 0
fi

if ((EUID != 0)); then
  echo "stack: missing Debian packages: ${missing[*]}" >&2
  echo "stack: run this script as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi

policy_backup=''
restore_policy() {
  rm -f "$POLICY"
  if [[ -n $policy_backup ]]; then
    mv "$policy_backup" "$POLICY"
  fi
}

if [[ -e $POLICY ]]; then
  policy_backup=$(mktemp "$POLICY.promenade.XXXXXX")
  cp -p "$POLICY" "$policy_backup"
fi
trap restore_policy EXIT
printf '#!/bin/sh\n# Installed by scripts/stack/install.sh for the length of one install.\nexit 101\n' >"$POLICY"
chmod 0755 "$POLICY"

export DEBIAN_FRONTEND=noninteractive
# Other installs may hold the dpkg lock for a while; wait for it rather than fail.
apt_opts=(-o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

echo "stack: installing ${missing[*]}"
apt-get "${apt_opts[@]}" update -qq
apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends "${missing[@]}"
echo 'stack: installed'
