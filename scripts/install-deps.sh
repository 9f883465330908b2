#!/usr/bin/env bash
# Installs what building and testing yb-voyager need on Debian/Ubuntu, only
# when it is missing: PostgreSQL 15 server binaries (its contrib modules, e.g. hstore, come with it),
# the client tools (pg_dump, psql) and the MariaDB server binaries (mariadbd,
# mariadb-install-db) used as a MySQL source in tests. Go itself must already be installed.
set -euo pipefail

need=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
[ -e /usr/share/postgresql/15/extension/hstore.control ] || need+=(postgresql-15)
command -v pg_dump >/dev/null || need+=(postgresql-client-15)
command -v psql >/dev/null || need+=(postgresql-client-15)
command -v runuser >/dev/null || need+=(util-linux)
# mariadbd lives in /usr/sbin, which is not always in $PATH.
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
for extra in "$@"; do
	command -v "$extra" >/dev/null || need+=("$extra")
done

if [ ${#need[@]} -eq 0 ]; then
	exit 0
fi
echo "install-deps: installing ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
# The Debian packages would start a cluster (postgresql) or a server (mariadb-server)
# of their own; we only want binaries.
echo exit 101 | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $(printf '%s\n' "${need[@]}" | sort -u)
$SUDO rm -f /usr/sbin/policy-rc.d
