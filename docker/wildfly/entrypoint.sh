#!/bin/sh
# Picks the configuration the image was built with: PostgreSQL when BASTION_DB_URL is set
# (with BASTION_DB_USER and BASTION_DB_PASSWORD), otherwise H2 in BASTION_DATA_DIR.
# Extra arguments go to standalone.sh, e.g. -Djboss.socket.binding.port-offset=100.
#
# SIGTERM (docker stop) suspends the server first: new requests get 503 while the ones in flight
# finish, for up to BASTION_SHUTDOWN_TIMEOUT seconds (default 30; 0 does not wait, -1 waits as long
# as it takes); then WildFly stops. Give the container a longer stop timeout than that (compose:
# stop_grace_period; docker run/stop: --stop-timeout / -t; the default is 10 s).
set -eu
config=standalone-bastion.xml
if [ -n "${BASTION_DB_URL:-}" ]; then
  config=standalone-bastion-pg.xml
fi
suspend_timeout=${BASTION_SHUTDOWN_TIMEOUT:-30}
case "$suspend_timeout" in
  -1 | [0-9] | [0-9][0-9] | [0-9][0-9][0-9]) ;;
  *) echo "entrypoint.sh: BASTION_SHUTDOWN_TIMEOUT must be -1 or 0..999 seconds, not '$suspend_timeout'" >&2; exit 2 ;;
esac
# Each node its own transaction node identifier (at most 23 bytes): the container's host name.
node_id=$(uname -n | cut -c1-23)
# The Dockerfile sets it; without it standalone.sh would not pass SIGTERM on to the JVM.
export LAUNCH_JBOSS_IN_BACKGROUND="${LAUNCH_JBOSS_IN_BACKGROUND:-true}"
# Bound to all interfaces: inside a container the loopback address is unreachable from outside.
exec "$JBOSS_HOME/bin/standalone.sh" -c "$config" -b 0.0.0.0 \
  "-Dorg.wildfly.sigterm.suspend.timeout=$suspend_timeout" "-Djboss.tx.node.id=$node_id" "$@"
