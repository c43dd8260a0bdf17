#!/usr/bin/env bash
# What validation costs, on a fresh WildFly + H2 (port 9780) and an empty database:
#   - creates/s of Patients and of Observations (each request a different resource: name, birth
#     date, gender, code, value from a table of 10 000 rows) with validation on write off, all
#     (the R4 definitions) and profiles (every resource declaring a profile from a loaded package);
#   - $validate/s of the same Patients;
#   - the time of the first validated write (the validator is built then) and the heap after a full
#     GC before and after it.
#   benchmarks/validation-cost.sh [SECONDS] [CONNECTIONS]     (defaults: 20 s, 8 connections)
# The table goes to stdout and to target/validation-cost.txt.
# Needs: a build (./mvnw -DskipTests install), wrk, curl, jq, tar, a JDK (jcmd).
set -euo pipefail
seconds=${1:-20}
connections=${2:-8}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/server.sh"
require_build wrk curl jq tar jcmd
port=9780
base=http://localhost:$port
fhir=$base/fhir/r4
export BASTION_ADMIN_PASSWORD=bench-admin-pw BASTION_BASE_URL=$base BASTION_AUTHORIZE_RATE_LIMIT=0
run=$here/target/validation-cost
result=$here/target/validation-cost.txt
rm -rf "$run"
mkdir -p "$run"
server= jvm=
trap '[ -n "$server" ] && stop_tree "$server"; true' EXIT

echo "Starting WildFly + Bastion (H2) on $base ..."
BASTION_DATA_DIR=$run/data start_bastion "$run/server" standalone-bastion.xml $port
admin=$("$here/admin-token.sh" "$base")
registration=$("$here/backend-client.sh" "$base" "validation benchmark")
token=$(curl -fsS -u "$(jq -r .client_id <<<"$registration"):$(jq -r .client_secret <<<"$registration")" \
  -d grant_type=client_credentials -d 'scope=system/*.*' "$base/oauth2/token" | jq -r .access_token)
setting() {
  curl -fsS -o /dev/null -X PUT "$base/admin/api/settings" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d "{\"validation_on_write\":\"$1\"}"
}
heap_mb() { # the heap in use after a full GC, MB
  jcmd "$jvm" GC.run >/dev/null
  jcmd "$jvm" GC.heap_info | awk '{for (i = 1; i < NF; i++) if ($i == "used") {v = $(i + 1); sub(/K,?$/, "", v); s += v}} END {printf "%.0f", s / 1024}'
}

# the profile: Patient.birthDate and Patient.gender required; in a package loaded by the admin API
mkdir -p "$run/package/package"
cat > "$run/package/package/package.json" <<'JSON'
{"name":"bastion.bench.profiles","version":"1.0.0","fhirVersions":["4.0.1"]}
JSON
cat > "$run/package/package/StructureDefinition-bench-patient.json" <<'JSON'
{"resourceType":"StructureDefinition","id":"bench-patient","url":"http://example.org/fhir/StructureDefinition/bench-patient",
 "name":"BenchPatient","status":"active","fhirVersion":"4.0.1","kind":"resource","abstract":false,"type":"Patient",
 "baseDefinition":"http://hl7.org/fhir/StructureDefinition/Patient","derivation":"constraint",
 "differential":{"element":[{"id":"Patient","path":"Patient"},{"id":"Patient.birthDate","path":"Patient.birthDate","min":1},
  {"id":"Patient.gender","path":"Patient.gender","min":1}]}}
JSON
tar -czf "$run/package.tgz" -C "$run/package" package
curl -fsS -o /dev/null -X POST "$base/admin/api/packages" -H "Authorization: Bearer $admin" -H 'Content-Type: application/gzip' \
  --data-binary "@$run/package.tgz"

# 10 000 different rows: family, birth date, gender, LOINC code, value
awk 'BEGIN {
  srand(42); print "family\tbirth\tgender\tcode\tvalue"
  split("female male other unknown", genders, " "); split("2339-0 8867-4 8480-6 29463-7 8310-5 718-7", codes, " ")
  for (i = 1; i <= 10000; i++)
    printf "Bench%05d\t%04d-%02d-%02d\t%s\t%s\t%.1f\n", i, 1930 + int(rand() * 90), 1 + int(rand() * 12), 1 + int(rand() * 28),
      genders[1 + i % 4], codes[1 + i % 6], 20 + rand() * 180
}' > "$run/params.tsv"
patient='{"resourceType":"Patient",PROFILE"identifier":[{"system":"urn:bench","value":"{n}"}],"name":[{"family":"{family}","given":["Val"]}],"gender":"{gender}","birthDate":"{birth}"}'
observation='{"resourceType":"Observation","status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],"code":{"coding":[{"system":"http://loinc.org","code":"{code}"}]},"valueQuantity":{"value":{value},"unit":"1","system":"http://unitsofmeasure.org","code":"1"},"effectiveDateTime":"{birth}"}'

rm -f "$result.tmp"
plain=$(sed 's/PROFILE//' <<<"$patient")
profiled=$(sed 's|PROFILE|"meta":{"profile":["http://example.org/fhir/StructureDefinition/bench-patient"]},|' <<<"$patient")
before=$(heap_mb)
setting all
started=$(now)
first=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$fhir/Patient" -H "Authorization: Bearer $token" -H 'Content-Type: application/fhir+json' \
  -d '{"resourceType":"Patient","name":[{"family":"First"}],"gender":"female","birthDate":"1970-01-01"}')
first_ms=$(calc %.0f "($(now) - $started) * 1000")
after=$(heap_mb)
[ "$first" = 201 ] || { echo "the first validated create answered $first" >&2; exit 1; }
setting off
measure "create Patient, validation off" /fhir/r4/Patient "$plain"
measure "create Observation, validation off" /fhir/r4/Observation "$observation"
setting all
measure "create Patient, validation all" /fhir/r4/Patient "$plain"
measure "create Observation, validation all" /fhir/r4/Observation "$observation"
setting profiles
measure "create Patient declaring a profile, profiles" /fhir/r4/Patient "$profiled"
setting off
measure "Patient/\$validate (nothing stored)" '/fhir/r4/Patient/$validate' "$plain"
{
  echo "Validation cost: WildFly + H2, $connections connections, $seconds s each, $(nproc) cores, $(date -u +%Y-%m-%d)"
  cat "$result.tmp"
  echo "first validated create (builds the validator): $first_ms ms; heap after a full GC: $before MB before, $after MB after"
} > "$result"
rm -f "$result.tmp"
cat "$result"
