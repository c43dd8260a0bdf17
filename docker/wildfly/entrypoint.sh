#!/bin/sh
# Picks the configuration the image was built with: PostgreSQL when BASTION_DB_URL is set
# (with BASTION_DB_USER and BASTION_DB_PASSWORD), otherwise H2 in BASTION_DATA_DIR.
# Extra arguments go to standalone.sh, e.g. -Djboss.socket.binding.port-offset=100.
set -eu
config=standalone-bastion.xml
if [ -n "${BASTION_DB_URL:-}" ]; then
  config=standalone-bastion-pg.xml
fi
# Bound to all interfaces: inside a container the loopback address is unreachable from outside.
exec "$JBOSS_HOME/bin/standalone.sh" -c "$config" -b 0.0.0.0 "$@"
