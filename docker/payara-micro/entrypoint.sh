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
# --nocluster: a single instance needs no Hazelcast discovery.
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar payara-micro.jar --nocluster --deploy bastion-payara.war --contextroot / --port 8080 "$@"
