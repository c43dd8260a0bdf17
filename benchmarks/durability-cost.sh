#!/usr/bin/env bash
# What H2's durable commits cost: creates/s and transaction Bundles/s on the embedded default
# (WildFly configured by configure.sh, H2) with WRITE_DELAY=0, as shipped, and with H2's default
# 500 ms write delay, which loses acknowledged writes on kill -9 (docs/operations.md). Each run
# starts a fresh server on an empty database (port 9180), measures, and stops it.
#   benchmarks/durability-cost.sh [SECONDS] [CONNECTIONS]
# Needs a build that provisioned WildFly: ./mvnw -DskipTests install (it/target/wildfly-*), and wrk.
set -euo pipefail
seconds=${1:-20}
connections=${2:-8}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
home=$(ls -d "$root"/it/target/wildfly-*/ 2>/dev/null | head -1)
ear=$root/it/target/deployments/bastion.ear
[ -n "$home" ] && [ -f "$ear" ] || { echo "build first: ./mvnw -DskipTests install" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
base=http://localhost:9180
export BASTION_ADMIN_PASSWORD=bench-admin-pw BASTION_BASE_URL=$base BASTION_AUTHORIZE_RATE_LIMIT=0
work=$(mktemp -d)
server=
# standalone.sh runs the JVM as its child: SIGTERM to the JVM, then wait for the script
stop_server() {
  if [ -n "$server" ]; then
    pkill -TERM -P "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

measure() { # label sed-expression
  local dir=$work/$1
  mkdir -p "$dir/deployments"
  cp -r "$home/standalone/configuration" "$dir/"
  sed -i "$2" "$dir/configuration/standalone-bastion.xml"
  echo "$1: $(grep -o 'jdbc:h2:file:[^"<]*' "$dir/configuration/standalone-bastion.xml" | head -1)"
  cp "$ear" "$dir/deployments/"
  BASTION_DATA_DIR=$dir/data "$home/bin/standalone.sh" -c standalone-bastion.xml -Djboss.server.base.dir="$dir" \
    -Djboss.socket.binding.port-offset=1100 > "$dir/console.log" 2>&1 &
  server=$!
  until curl -fs -o /dev/null "$base/health/ready"; do sleep 1; done
  local registration client_id secret token
  registration=$("$here/backend-client.sh" "$base" "durability benchmark")
  client_id=$(printf '%s' "$registration" | sed -E 's/.*"client_id":"([^"]+)".*/\1/')
  secret=$(printf '%s' "$registration" | sed -E 's/.*"client_secret":"([^"]+)".*/\1/')
  token=$(curl -fsS -u "$client_id:$secret" -d grant_type=client_credentials -d 'scope=system/*.*' "$base/oauth2/token" \
    | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  export BENCH_TOKEN=$token
  export BENCH_CREATE='{"resourceType":"Patient","name":[{"family":"Durable","given":["Bench"]}],"gender":"female","birthDate":"1970-01-01"}'
  wrk -t2 -c"$connections" -d5s -s "$here/create.lua" "$base/fhir/r4/Patient" > /dev/null
  local creates bundles
  creates=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/create.lua" "$base/fhir/r4/Patient")
  local entries=
  for i in $(seq 1 10); do
    entries="$entries${entries:+,}{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"bench $i\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}"
  done
  export BENCH_CREATE="{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[$entries]}"
  bundles=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/create.lua" "$base/fhir/r4")
  printf '%-22s creates/s %8s  p99 %8s | 10-entry transactions/s %8s  p99 %8s\n' "$1" \
    "$(printf '%s\n' "$creates" | awk '/Requests\/sec/ {print $2}')" "$(printf '%s\n' "$creates" | awk '$1=="99%" {print $2}')" \
    "$(printf '%s\n' "$bundles" | awk '/Requests\/sec/ {print $2}')" "$(printf '%s\n' "$bundles" | awk '$1=="99%" {print $2}')" >> "$work/results"
  printf '%s\n' "$creates" "$bundles" | grep -i 'non-2xx' | sed "s/^/$1: /" || true
  stop_server
}

measure durable 's/;WRITE_DELAY=0//; s/;DB_CLOSE_ON_EXIT=FALSE/;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0/'
measure h2-default-delay 's/;WRITE_DELAY=0//'
echo "H2, $connections connections, $seconds s each, $(nproc) cores:"
cat "$work/results"
