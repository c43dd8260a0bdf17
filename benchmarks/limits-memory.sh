#!/usr/bin/env bash
# The largest allowed request and the heaviest allowed search at the same time: a transaction
# Bundle just under the body limit (BASTION_FHIR_MAX_BODY_BYTES, or the server's default for its
# heap), sent CONCURRENT times at once, while searches at every search limit run (100 OR values,
# 10 _include/_revinclude, a 3-link chain, _count=500, _offset=10000). Samples the server's heap
# with jstat every 200 ms and prints the peak; then checks that the server still answers.
#   benchmarks/limits-memory.sh [BASE_URL] [BODY_MB] [CONCURRENT]   (BASTION_ADMIN_PASSWORD as the server's)
set -euo pipefail
base=${1:-http://localhost:8080}
body_mb=${2:-16}
concurrent=${3:-2}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"; kill $(jobs -p) 2>/dev/null || true' EXIT

pid=$(pgrep -f 'jboss-modules.jar' | head -1 || true)
[ -n "$pid" ] || pid=$(pgrep -f 'payara-micro' | head -1 || true)
[ -n "$pid" ] || { echo "no WildFly or Payara Micro process found to sample" >&2; exit 1; }

client=$("$here/backend-client.sh" "$base" "limits-memory-$(date +%s)")
id=$(printf %s "$client" | sed -E 's/.*"client_id":"([^"]+)".*/\1/')
secret=$(printf %s "$client" | sed -E 's/.*"client_secret":"([^"]+)".*/\1/')
token=$(curl -fsS -u "$id:$secret" -d grant_type=client_credentials -d 'scope=system/*.*' "$base/oauth2/token" \
  | sed -E 's/.*"access_token":"([^"]+)".*/\1/')

# a transaction Bundle of Observations, just under the limit
python3 - "$work/bundle.json" "$body_mb" <<'PY'
import json, sys, uuid
path, mb = sys.argv[1], float(sys.argv[2])
limit = int(mb * 1024 * 1024) - 4096
entries, size = [], 60
patient = str(uuid.uuid4())
entries.append({"fullUrl": "urn:uuid:" + patient, "resource": {"resourceType": "Patient", "name": [{"family": "Heavy"}]},
                "request": {"method": "POST", "url": "Patient"}})
i = 0
while True:
    e = {"resource": {"resourceType": "Observation", "status": "final",
                      "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7", "display": "Body weight"}]},
                      "subject": {"reference": "urn:uuid:" + patient}, "valueQuantity": {"value": 70 + i % 30, "unit": "kg"},
                      "note": [{"text": "x" * 2000}]},
         "request": {"method": "POST", "url": "Observation"}}
    n = len(json.dumps(e)) + 1
    if size + n > limit or len(entries) >= 20000:
        break
    entries.append(e); size += n; i += 1
json.dump({"resourceType": "Bundle", "type": "transaction", "entry": entries}, open(path, "w"))
print(f"bundle: {len(entries)} entries, {size / 1048576:.1f} MB", file=sys.stderr)
PY

peak=0
sample() { while true; do
  used=$(jstat -gc "$pid" 2>/dev/null | awk 'NR==2 { printf "%d", ($3+$4+$6+$8) / 1024 }')   # S0U+S1U+EU+OU, MB
  [ -n "$used" ] && echo "$used" >> "$work/heap"
  sleep 0.2
done; }
sample &

ors=$(python3 -c 'print(",".join(f"c{i}" for i in range(100)))')
search() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $token" "$base/fhir/r4/$1"; }
start=$(date +%s.%N)
for n in $(seq "$concurrent"); do
  curl -s -o "$work/tx-$n.json" -w "transaction $n: %{http_code} in %{time_total} s\n" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/fhir+json' --data-binary @"$work/bundle.json" "$base/fhir/r4" &
done
for round in 1 2 3; do
  search "Observation?code=$ors&_count=500&_include=Observation:subject&_include=Observation:encounter&_include=Observation:performer&_revinclude=Provenance:target" &
  search "Observation?subject:Patient.organization.partof.name=x&_count=500" &
  search "Observation?_count=500&_offset=10000&_sort=-date" &
  search "Patient?_has:Observation:subject:code=29463-7&_count=500&_revinclude=Observation:subject" &
done
wait $(jobs -p | tail -n +2) 2>/dev/null || true
end=$(date +%s.%N)
kill %1 2>/dev/null || true
peak=$(sort -n "$work/heap" | tail -1)
echo "peak heap used: ${peak} MB (jstat, every 200 ms), run took $(echo "$end - $start" | bc) s"
curl -fsS -o /dev/null -w "server still answers: /fhir/r4/metadata %{http_code}\n" "$base/fhir/r4/metadata"
