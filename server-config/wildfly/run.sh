#!/usr/bin/env bash
# Configures a WildFly for Bastion, deploys the EAR and runs the server in the foreground:
#   run.sh JBOSS_HOME EAR [POSTGRESQL_DRIVER_JAR]
# H2 in BASTION_DATA_DIR (default: ./data) unless BASTION_DB_URL names a PostgreSQL database.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
home=${1:?usage: run.sh JBOSS_HOME EAR [POSTGRESQL_DRIVER_JAR]}
ear=${2:?usage: run.sh JBOSS_HOME EAR [POSTGRESQL_DRIVER_JAR]}
driver=${3:-}

export BASTION_DATA_DIR=${BASTION_DATA_DIR:-$PWD/data}
mkdir -p "$BASTION_DATA_DIR"
if [ -n "${BASTION_DB_URL:-}" ]; then
  "$here/configure.sh" "$home" --postgresql "${driver:?a PostgreSQL driver jar is needed with BASTION_DB_URL}"
else
  "$here/configure.sh" "$home"
fi
rm -f "$home"/standalone/deployments/bastion.ear*
cp "$ear" "$home/standalone/deployments/bastion.ear"
echo "Bastion: data in $BASTION_DATA_DIR; serving on http://localhost:8080 once deployed (Ctrl-C stops)"
exec "$home/bin/standalone.sh" -c standalone-bastion.xml
