#!/usr/bin/env bash
# Throughput of the token endpoint (client_credentials, client_secret_basic, RS256-signed JWT
# access tokens) against a running Bastion, measured with wrk (Debian package "wrk").
#   benchmarks/token-endpoint.sh [BASE_URL] [SECONDS] [CONNECTIONS]
# The benchmark client is registered by the admin (backend-client.sh; BASTION_ADMIN_PASSWORD in both environments):
#   BASTION_ADMIN_PASSWORD=… ./mvnw -Prun package      # in another terminal
set -euo pipefail
base=${1:-http://localhost:8080}
seconds=${2:-30}
connections=${3:-16}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)

registration=$("$here/backend-client.sh" "$base" "token benchmark")
field() { printf '%s' "$registration" | sed -E "s/.*\"$1\":\"([^\"]+)\".*/\\1/"; }
client_id=$(field client_id)
secret=$(field client_secret)
export BENCH_BASIC="Basic $(printf '%s:%s' "$client_id" "$secret" | base64 -w0)"
export BENCH_SCOPE="system/*.rs"

# One request first: the benchmark is only meaningful if it succeeds.
curl -fsS -o /dev/null -X POST "$base/oauth2/token" -H "Authorization: $BENCH_BASIC" \
  -d "grant_type=client_credentials&scope=system/*.rs"

echo "Warm-up (10 s) ..."
wrk -t2 -c"$connections" -d10s -s "$here/token-post.lua" "$base/oauth2/token" >/dev/null
echo "Measuring ${seconds} s with $connections connections:"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/token-post.lua" "$base/oauth2/token"
pid=$(pgrep -f 'jboss-modules.jar' | head -1 || true)
if [ -n "$pid" ]; then
  echo "Server RSS after the run: $(( $(ps -o rss= -p "$pid") / 1024 )) MB"
fi
