#!/bin/sh
# Starts Payara Micro with H2 in BASTION_DATA_DIR, or with PostgreSQL when BASTION_DB_URL is set
# (with BASTION_DB_USER and BASTION_DB_PASSWORD). Extra arguments go to Payara Micro;
# JAVA_OPTS to the JVM.
set -eu
cd "$(dirname "$0")"
if [ -n "${BASTION_DB_URL:-}" ]; then
  set -- --addlibs postgresql.jar --postbootcommandfile postgresql.asadmin "$@"
else
  set -- --postbootcommandfile bastion.asadmin "$@"
fi
# Payara Micro keeps the configuration of the last start in its root directory (the effects of the
# asadmin files, the deployment). Emptied first, each start applies them to a fresh one, as with
# Payara's default temporary directory, which is gone after a restart too.
root=${PAYARA_ROOT_DIR:-/opt/bastion/payara-root}
mkdir -p "$root"
find "$root" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
# --nocluster: a single instance needs no Hazelcast discovery. preboot.asadmin moves Payara's own
# /health and /metrics out of the way of Bastion's. exec: the JVM is PID 1 and gets SIGTERM itself.
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar payara-micro.jar --nocluster --rootdir "$root" \
  --prebootcommandfile preboot.asadmin --deploy bastion-payara.war --contextroot / --port 8080 "$@"
