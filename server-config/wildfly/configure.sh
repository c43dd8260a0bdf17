#!/usr/bin/env bash
# Writes a Bastion configuration into a stock WildFly, offline:
#   configure.sh JBOSS_HOME [--config standalone-bastion.xml] [--postgresql /path/to/postgresql.jar]
# It copies standalone.xml to the named configuration and applies bastion.cli to it (H2 in the
# data folder), then postgresql.cli when a PostgreSQL driver is given. Start the server with
#   $JBOSS_HOME/bin/standalone.sh -c standalone-bastion.xml
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
home=${1:?usage: configure.sh JBOSS_HOME [--config NAME] [--postgresql DRIVER_JAR]}
shift
config=standalone-bastion.xml
driver=
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config=$2; shift 2 ;;
    --postgresql) driver=$2; shift 2 ;;
    *) echo "configure.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

cp "$home/standalone/configuration/standalone.xml" "$home/standalone/configuration/$config"
"$home/bin/jboss-cli.sh" -Dbastion.server.config="$config" --file="$here/bastion.cli"
if [ -n "$driver" ]; then
  rm -rf "$home/modules/org/postgresql"
  "$home/bin/jboss-cli.sh" -Dbastion.server.config="$config" -Dbastion.postgresql.jar="$driver" --file="$here/postgresql.cli"
fi

# Memory (docs/operations.md#memory): the serial collector, which gives unused heap back to the
# system (at most 50 % of the heap free after a collection, at least 25 %: with 10 % and 30 % the
# benchmark's load ran 169 full collections, with these 95). Measured on 2 cores: RSS 575 MB when
# ready against 760 MB with the default G1 and the same 512 MB heap. Two malloc arenas instead of
# one per core and thread group. BASTION_JAVA_SIZING replaces the collector's settings; a collector
# named in JAVA_OPTS keeps them out.
conf="$home/bin/standalone.conf"
if ! grep -q BASTION_JAVA_SIZING "$conf"; then
  cat >> "$conf" <<'CONF'

# Bastion (server-config/wildfly/configure.sh)
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
case " $JAVA_OPTS " in
  *" -XX:+Use"*"GC "*) ;;   # a collector chosen in JAVA_OPTS stays
  *) JAVA_OPTS="$JAVA_OPTS ${BASTION_JAVA_SIZING:--XX:+UseSerialGC -XX:MinHeapFreeRatio=25 -XX:MaxHeapFreeRatio=50}" ;;
esac
CONF
fi
