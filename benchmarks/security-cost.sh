#!/usr/bin/env bash
# The cost of security on FHIR reads, in one server run: the same read with a verified bearer
# token (system/*.*), with a narrower token whose scope the server must evaluate (system/Patient.rs),
# and without a token (served as system/*.* because the server runs with BASTION_FHIR_SECURITY=off).
# Run it once with the audit trail on (default) and once with BASTION_AUDIT=false for its cost.
#   benchmarks/security-cost.sh [BASE_URL] [SECONDS]
# Needs: wrk and curl (Debian packages); the server started on loopback with
#   BASTION_ADMIN_PASSWORD=… BASTION_FHIR_SECURITY=off ./mvnw -Prun package
set -euo pipefail
base=${1:-http://localhost:8080}
seconds=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)

registration=$("$here/backend-client.sh" "$base" "security benchmark")
field() { printf '%s' "$registration" | sed -E "s/.*\"$1\":\"([^\"]+)\".*/\\1/"; }
token() {
  curl -fsS -u "$(field client_id):$(field client_secret)" "$base/oauth2/token" -d "grant_type=client_credentials&scope=$1" \
    | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
full=$(token 'system/*.*')
narrow=$(token 'system/Patient.rs')
patient=$(curl -fsS -X POST "$base/fhir/r4/Patient" -H "Authorization: Bearer $full" -H 'Content-Type: application/fhir+json' \
  -d '{"resourceType":"Patient","name":[{"family":"Benchmark","given":["Security"]}],"birthDate":"1970-01-01"}' \
  | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
anonymous=$(curl -s -o /dev/null -w '%{http_code}' "$base/fhir/r4/Patient/$patient")
if [ "$anonymous" != 200 ]; then
  echo "GET without a token answered $anonymous: start the server with BASTION_FHIR_SECURITY=off on a loopback base URL" >&2
  exit 1
fi
measure() {
  echo "== $1"
  BENCH_TOKEN=$2 wrk -t2 -c8 -d"${seconds}s" --latency -s "$here/bearer.lua" "$base/fhir/r4/Patient/$patient" \
    | grep -E 'Requests/sec|Latency  |50%|99%|Non-2xx'
}
measure "read with a verified token, system/*.*" "$full"
measure "read with a verified token, system/Patient.rs" "$narrow"
measure "read without a token (security off)" ""
