#!/usr/bin/env bash
# Loads a Synthea data set into a running Bastion as transaction bundles, then measures reads,
# creates, a token search and a date-range search per second with wrk.
#   benchmarks/fhir-load.sh [BASE_URL] [PATIENTS] [SECONDS]
# Needs: wrk and curl (Debian packages), a JDK; the server started with BASTION_ADMIN_PASSWORD, the same in this environment.
# Synthea (tools/synthea.sh: org.mitre.synthea:synthea 3.3.0 from Maven Central) runs offline (seed 42).
set -euo pipefail
base=${1:-http://localhost:8080}
patients=${2:-60}
seconds=${3:-20}
here=$(cd "$(dirname "$0")" && pwd)
work=$here/target/synthea-$patients
mkdir -p "$work"

if [ ! -d "$work/out/fhir" ]; then
  echo "Generating $patients patients with Synthea ..."
  "$here/../tools/synthea.sh" "$work" "$patients" 42
fi

registration=$("$here/backend-client.sh" "$base" "fhir benchmark")
field() { printf '%s' "$registration" | sed -E "s/.*\"$1\":\"([^\"]+)\".*/\\1/"; }
token=$(curl -fsS -u "$(field client_id):$(field client_secret)" "$base/oauth2/token" \
  -d 'grant_type=client_credentials&scope=system/*.*' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
export BENCH_TOKEN=$token

files=( "$work"/out/fhir/hospitalInformation*.json "$work"/out/fhir/practitionerInformation*.json )
for f in "$work"/out/fhir/*.json; do
  case "$f" in *hospitalInformation*|*practitionerInformation*) ;; *) files+=("$f") ;; esac
done
echo "Loading ${#files[@]} bundles ($(cat "${files[@]}" | grep -o '"request"' | wc -l) entries) ..."
loaded=0
start=$(date +%s.%N)
for f in "${files[@]}"; do
  status=$(curl -sS -o /tmp/bastion-load-response.json -w '%{http_code}' -X POST "$base/fhir/r4" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/fhir+json' --data-binary @"$f")
  if [ "$status" = 200 ]; then
    loaded=$((loaded + $(grep -o '"request"' "$f" | wc -l)))
  else
    echo "  $(basename "$f"): HTTP $status $(head -c 300 /tmp/bastion-load-response.json)"
  fi
done
end=$(date +%s.%N)
elapsed=$(echo "$end - $start" | bc)
echo "Loaded $loaded resources in ${elapsed} s: $(echo "$loaded / $elapsed" | bc) resources/s (failed bundles included in the time)"

patient=$(curl -fsS "$base/fhir/r4/Patient?_count=1" -H "Authorization: Bearer $token" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4)
measure() {
  echo "== $1"
  wrk -t2 -c8 -d"${seconds}s" --latency -s "$here/bearer.lua" "$2" | grep -E 'Requests/sec|Latency  |50%|99%|Non-2xx'
}
measure "read Patient/$patient" "$base/fhir/r4/Patient/$patient"
measure "token search Observation?code=http://loinc.org|8867-4 (heart rate)" "$base/fhir/r4/Observation?code=http%3A%2F%2Floinc.org%7C8867-4&_count=20"
measure "date-range search Observation?date=ge2020-01-01&date=lt2020-02-01" "$base/fhir/r4/Observation?date=ge2020-01-01&date=lt2020-02-01&_count=20"
echo "== create Observation"
BENCH_CREATE="{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},\"subject\":{\"reference\":\"Patient/$patient\"},\"effectiveDateTime\":\"2024-01-01T00:00:00Z\",\"valueQuantity\":{\"value\":72,\"unit\":\"/min\"}}" \
  wrk -t2 -c8 -d"${seconds}s" --latency -s "$here/create.lua" "$base/fhir/r4/Observation" | grep -E 'Requests/sec|Latency  |50%|99%|Non-2xx'
count=$(curl -fsS "$base/fhir/r4/Observation?_summary=count" -H "Authorization: Bearer $token" | grep -o '"total":[0-9]*')
echo "Observations now: $count"
