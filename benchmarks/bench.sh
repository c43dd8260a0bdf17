#!/usr/bin/env bash
# Everything measured in one run, on a fresh server and an empty database, printed as one table
# with the goals it is held to:
#   benchmarks/bench.sh [--patients N] [--postgresql] [--seconds S] [--connections C]
#   (defaults: 100 patients, H2, 15 s, 16 connections; --patients 1000 for the large data set)
# 1. the RS256 signing ceiling of this machine (SigningCeiling.java: RSA-2048 signatures/s on all cores);
# 2. WildFly + Bastion from the build (it/target/wildfly-*, it/target/deployments/bastion.ear) on
#    port 9280 (port offset 1200), H2 in a fresh data folder or, with --postgresql, a fresh
#    PostgreSQL 14 (the io.zonky binaries in ~/.m2) on port 15532: seconds to /health/ready, RSS;
# 3. the Synthea data set (tools/synthea.sh, seed 42; generated once into target/synthea-N) loaded
#    as transaction Bundles, two uploads at a time: resources/s;
# 4. wrk (-t2, warm-up, then S seconds with --latency) with params.lua: every request with other
#    parameters (patients, their Observation codes and years, family names, tokens), taken from
#    the loaded data (bench-params.py), and a system/*.* token of a client the admin registers;
# 5. Keycloak 26 (it/target/keycloak, copied to target/, dev mode, port 9380): its client_credentials
#    token and introspection rates with the same settings;
# 6. the server JVM's RSS after the runs and its CPU time over the wall time of each run.
# The bulk data rates (export, import) are bulk.sh's.
# The table, with the goals, goes to stdout and to benchmarks/target/bench-<h2|postgresql>-<N>.txt;
# the run's files (server logs, wrk output, parameters) stay in benchmarks/target/bench-<db>-<N>/.
# Needs: a build (./mvnw -DskipTests install), wrk, curl, jq, python3, a JDK (Debian packages).
set -euo pipefail
patients=100 db=h2 seconds=15 connections=16
while [ $# -gt 0 ]; do
  case "$1" in
    --patients) patients=$2; shift 2 ;;
    --postgresql) db=postgresql; shift ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "usage: bench.sh [--patients N] [--postgresql] [--seconds S] [--connections C]" >&2; exit 2 ;;
  esac
done
warmup=$(( seconds < 5 ? seconds : 5 ))   # seconds of warm-up before each measured run

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
home=$(ls -d "$root"/it/target/wildfly-*/ 2>/dev/null | head -1)
home=${home%/}
ear=$root/it/target/deployments/bastion.ear
keycloak_dist=$(ls -d "$root"/it/target/keycloak/keycloak-*/ 2>/dev/null | head -1)
keycloak_dist=${keycloak_dist%/}
if [ -z "$home" ] || [ ! -f "$ear" ] || [ -z "$keycloak_dist" ]; then
  echo "No build: run ./mvnw -B -DskipTests install first (it makes it/target/wildfly-*, it/target/deployments/bastion.ear and it/target/keycloak)" >&2
  exit 2
fi
for tool in wrk curl jq python3 java; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install $tool)" >&2; exit 2; }
done

port=9280
base=http://localhost:$port
keycloak_port=9380
keycloak=http://127.0.0.1:$keycloak_port
pg_port=15532
for p in $port $keycloak_port $pg_port; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p is in use" >&2; exit 2; fi
done
target=$here/target
run=$target/bench-$db-$patients           # this run's files
result=$target/bench-$db-$patients.txt    # its table
rm -rf "$run"
mkdir -p "$run"

# Everything started here is stopped on exit, failed or not: the server, Keycloak, PostgreSQL.
server= jvm= kc= kc_jvm= pg_dir=
. "$here/server.sh"   # stop_tree, start_postgresql, start_bastion
cleanup() {
  [ -n "$server" ] && stop_tree "$server"
  [ -n "$kc" ] && stop_tree "$kc"
  stop_postgresql
  true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cores=$(nproc)

# --- 1. the data set -------------------------------------------------------------------------
data=$target/synthea-$patients
if [ ! -d "$data/out/fhir" ]; then
  echo "Generating $patients patients with Synthea (seed 42) into $data ..."
  "$root/tools/synthea.sh" "$data" "$patients" 42
fi
fhir_dir=$data/out/fhir

# --- 2. the signing ceiling, measured while nothing else of ours runs --------------------------
echo "Signing ceiling (RSA-2048, SHA256withRSA, $cores threads, 5 s) ..."
ceiling=$(java "$here/SigningCeiling.java" 5 | awk '{print $2}')

# --- 3. the database and the server --------------------------------------------------------
export BASTION_ADMIN_PASSWORD=bench-admin-pw BASTION_BASE_URL=$base BASTION_DATA_DIR=$run/server/data
export BASTION_AUTHORIZE_RATE_LIMIT=0   # the only rate limit (README: settings)
# The largest Synthea bundles are larger than the default request limit (a 48th of the heap,
# 10.7 MB at WildFly's 512 MB): the limit is raised to fit the largest (at most 64 MB), and the
# bundles over 8 MB are sent one at a time (two of them at once would take the whole heap).
largest=$(find "$fhir_dir" -name '*.json' -printf '%s\n' | sort -n | tail -1)
if [ "$largest" -gt $((10 * 1024 * 1024)) ]; then
  export BASTION_FHIR_MAX_BODY_BYTES=$(( largest + 1024 * 1024 < 64 * 1024 * 1024 ? largest + 1024 * 1024 : 64 * 1024 * 1024 ))
fi
config=standalone-bastion.xml
if [ "$db" = postgresql ]; then
  start_postgresql "$target/postgresql" "$run" $pg_port   # sets pg_dir, BASTION_DB_URL/USER/PASSWORD
  config=standalone-bastion-pg.xml
fi

echo "Starting WildFly + Bastion ($db) on $base ..."
start_bastion "$run/server" "$config" $port   # sets server, jvm, ready
sleep 2
rss_idle=$(rss_mb "$jvm")
echo "Ready after $ready s, RSS $rss_idle MB"

registration=$("$here/backend-client.sh" "$base" "bench")
client_id=$(printf '%s' "$registration" | jq -r .client_id)
secret=$(printf '%s' "$registration" | jq -r .client_secret)
basic="Basic $(printf '%s:%s' "$client_id" "$secret" | base64 -w0)"
token=$(curl -fsS -H "Authorization: $basic" -d grant_type=client_credentials -d 'scope=system/*.*' "$base/oauth2/token" | jq -r .access_token)

# --- 4. the load: hospitals and practitioners first (the patients' bundles refer to them) ----------
load_dir=$run/load
mkdir -p "$load_dir"
upload() { # BUNDLE: POSTs it as a transaction; its status and answer go to $load_dir
  local name
  name=$(basename "$1")
  curl -sS -o "$load_dir/$name.response" -w '%{http_code}' -X POST "$base/fhir/r4" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/fhir+json' -H 'Prefer: return=minimal' --data-binary @"$1" > "$load_dir/$name.status" 2>>"$load_dir/curl.log" \
    || echo "curl failed" > "$load_dir/$name.status"
}
export -f upload
export base token load_dir
small=8000000
bundle_count=$(find "$fhir_dir" -name '*.json' | wc -l)
echo "Loading $bundle_count bundles, two at a time (over 8 MB: one at a time) ..."
load_start=$(now)
find "$fhir_dir" \( -name 'hospitalInformation*.json' -o -name 'practitionerInformation*.json' \) -print0 \
  | xargs -0 -r -n1 -P2 bash -c 'upload "$1"' _
find "$fhir_dir" -name '*.json' ! -name 'hospitalInformation*' ! -name 'practitionerInformation*' -size -${small}c -print0 \
  | xargs -0 -r -n1 -P2 bash -c 'upload "$1"' _
find "$fhir_dir" -name '*.json' ! -name 'hospitalInformation*' ! -name 'practitionerInformation*' -size +$((small - 1))c -print0 \
  | xargs -0 -r -n1 -P1 bash -c 'upload "$1"' _
load_seconds=$(calc %.1f "$(now) - $load_start")
for status in "$load_dir"/*.status; do
  if [ "$(cat "$status")" != 200 ]; then
    echo "  $(basename "$status" .status): $(cat "$status") $(head -c 300 "${status%.status}.response" 2>/dev/null)"
  fi
done

# --- 5. parameters: the loaded patients, their codes and years; tokens to introspect ----------------
params=$run/params.tsv
summary=$(python3 "$here/bench-params.py" "$fhir_dir" "$load_dir" "$params")
eval "$summary"   # resources= patients= failed=
load_rate=$(calc %.0f "$resources / $load_seconds")
echo "Loaded $resources resources of $patients patients in $load_seconds s: $load_rate resources/s ($failed bundles failed)"
[ "$patients" -gt 0 ] || { echo "No patient was loaded: nothing to measure" >&2; exit 1; }
issue_tokens() { # TOKEN_URL AUTHORIZATION BODY FILE: 500 tokens (one connection), a line each after the line "token"
  local urls=()
  for i in $(seq 500); do urls+=("$1"); done
  echo token > "$4"
  curl -fsS -H "Authorization: $2" -d "$3" "${urls[@]}" | jq -r .access_token >> "$4"
  [ "$(wc -l < "$4")" = 501 ] || { echo "Could not get 500 tokens from $1" >&2; exit 1; }
}

# --- 6. the runs ------------------------------------------------------------------------------
# measure KEY LABEL PID URL [VAR=VALUE ...]: wrk with params.lua and the variables (BENCH_*), a warm-up
# first; the row goes to $run/rows.tsv, the rate to rate[KEY]; the CPU time of PID over the run's wall time.
declare -A rate
echo -e "work\trate/s\tp50 ms\tp99 ms\terrors\tmissed\tcores" > "$run/rows.tsv"
measure() {
  local key=$1 label=$2 pid=$3 url=$4
  shift 4
  echo "  $label ..."
  env "$@" wrk -t2 -c"$connections" -d"${warmup}s" --timeout 30s -s "$here/params.lua" "$url" > /dev/null 2>> "$run/wrk-errors.log"
  local before out line
  before=$(cpu_ticks "$pid")
  out=$(env "$@" wrk -t2 -c"$connections" -d"${seconds}s" --timeout 30s --latency -s "$here/params.lua" "$url" 2>> "$run/wrk-errors.log")
  local used=$(( $(cpu_ticks "$pid") - before ))
  printf '== %s\n%s\n' "$label" "$out" >> "$run/wrk.log"
  line=$(printf '%s\n' "$out" | grep '^BENCH ')
  local requests seconds_run rate_run p50_ms p99_ms non2xx socket missed
  eval "$(printf '%s' "${line#BENCH }" | sed 's/seconds=/seconds_run=/; s/rate=/rate_run=/')"
  rate[$key]=$rate_run
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$rate_run" "$p50_ms" "$p99_ms" $((non2xx + socket)) "$missed" \
    "$(calc %.2f "$used / $ticks / $seconds_run")" >> "$run/rows.tsv"
}
fhir=$base/fhir/r4
search=(BENCH_PARAMS="$params" BENCH_TOKEN="$token" BENCH_EXPECT='"entry"')
echo "Measuring Bastion: $seconds s per row (after ${warmup} s of warm-up), $connections connections ..."
cpu_start=$(cpu_ticks "$jvm") wall_start=$(now)
measure read "read Patient/{id}" "$jvm" "$fhir" BENCH_PATH='/fhir/r4/Patient/{id}' BENCH_PARAMS="$params" BENCH_TOKEN="$token"
measure code "Observation?patient={id}&code={code}" "$jvm" "$fhir" "${search[@]}" \
  BENCH_PATH='/fhir/r4/Observation?patient={id}&code={code}&_count=20'
measure year "Observation?patient={id}&date=ge{year}..lt{year+1}" "$jvm" "$fhir" "${search[@]}" \
  BENCH_PATH='/fhir/r4/Observation?patient={id}&date=ge{year}-01-01&date=lt{next}-01-01&_count=20'
measure family "Patient?family={family}" "$jvm" "$fhir" "${search[@]}" BENCH_PATH='/fhir/r4/Patient?family={family}&_count=20'
measure vitals "Observation?patient={id}&category=vital-signs&_sort=-date" "$jvm" "$fhir" "${search[@]}" \
  BENCH_PATH='/fhir/r4/Observation?patient={id}&category=vital-signs&_sort=-date&_count=20'
measure include "Observation?patient={id}&code={code}&_include=Observation:subject" "$jvm" "$fhir" "${search[@]}" \
  BENCH_PATH='/fhir/r4/Observation?patient={id}&code={code}&_include=Observation:subject&_count=20'
measure create "create Patient (a new family name each)" "$jvm" "$fhir" BENCH_METHOD=POST BENCH_TOKEN="$token" \
  BENCH_PATH='/fhir/r4/Patient' \
  BENCH_BODY='{"resourceType":"Patient","name":[{"family":"Bench{n}","given":["Load"]}],"gender":"female","birthDate":"1970-01-01"}'
entries=
for i in $(seq 1 10); do
  entries="$entries${entries:+,}{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"vital-signs\"}]}],\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\",\"display\":\"Heart rate\"}]},\"subject\":{\"reference\":\"Patient/{id}\"},\"effectiveDateTime\":\"2025-01-01T00:00:$((10 + i))Z\",\"valueQuantity\":{\"value\":$((60 + i)),\"unit\":\"/min\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}"
done
measure transaction "transaction Bundle, 10 Observations of a patient" "$jvm" "$fhir" BENCH_METHOD=POST BENCH_TOKEN="$token" \
  BENCH_PARAMS="$params" BENCH_PATH='/fhir/r4' BENCH_BODY="{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[$entries]}"
form=(BENCH_METHOD=POST BENCH_TYPE=application/x-www-form-urlencoded BENCH_BASIC="$basic")
measure token "token: client_credentials, client_secret_basic" "$jvm" "$base" "${form[@]}" \
  BENCH_PATH=/oauth2/token BENCH_BODY='grant_type=client_credentials&scope=system/*.*' BENCH_EXPECT='"access_token"'
issue_tokens "$base/oauth2/token" "$basic" 'grant_type=client_credentials&scope=system/*.*' "$run/tokens.tsv"
measure introspect "introspection of the client's own tokens (500)" "$jvm" "$base" "${form[@]}" \
  BENCH_PATH=/oauth2/introspect BENCH_PARAMS="$run/tokens.tsv" BENCH_BODY='token={token}' BENCH_EXPECT='"active":true'
cpu_share=$(calc %.2f "($(cpu_ticks "$jvm") - $cpu_start) / $ticks / ($(now) - $wall_start)")
rss_after=$(rss_mb "$jvm")

# the collector's share of the run (jstat: young and full collections and their seconds since the start)
gc=$(jstat -gc "$jvm" 2>/dev/null | awk 'NR == 2 { for (i = 1; i <= NF; i++) v[h[i]] = $i; printf "%d young, %d full collections, %.1f s in all", v["YGC"], v["FGC"], v["GCT"] } NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i }')
db_size=$(du -sm "$run/server/data" 2>/dev/null | cut -f1)
stop_tree "$server"
server=

# --- 7. Keycloak: the same token and introspection runs -------------------------------------------
# A copy of the distribution: start-dev rebuilds it, and the integration tests use the original.
keycloak_home=$target/$(basename "$keycloak_dist")
[ -d "$keycloak_home" ] || cp -a "$keycloak_dist" "$keycloak_home"
echo "Starting Keycloak $(cat "$keycloak_home/version.txt" 2>/dev/null | head -1) (dev mode, in-memory database) on $keycloak ..."
env -u JAVA_OPTS KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
  bash "$keycloak_home/bin/kc.sh" start-dev --db=dev-mem --http-host=127.0.0.1 --http-port=$keycloak_port \
  --http-management-port=$((keycloak_port + 1)) --hostname=$keycloak > "$run/keycloak.log" 2>&1 &
kc=$!
until curl -fs -o /dev/null "$keycloak/realms/master/.well-known/openid-configuration"; do
  kill -0 "$kc" 2>/dev/null || { echo "Keycloak stopped; see $run/keycloak.log" >&2; tail -20 "$run/keycloak.log" >&2; exit 1; }
  sleep 0.5
done
if [ "$(cat "/proc/$kc/comm")" = java ]; then kc_jvm=$kc; else kc_jvm=$(pgrep -P "$kc" -x java); fi
kc_admin=$(curl -fsS -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin \
  "$keycloak/realms/master/protocol/openid-connect/token" | jq -r .access_token)
curl -fsS -X POST "$keycloak/admin/realms" -H "Authorization: Bearer $kc_admin" -H 'Content-Type: application/json' \
  -d '{"realm":"bench","enabled":true}'
curl -fsS -X POST "$keycloak/admin/realms/bench/clients" -H "Authorization: Bearer $kc_admin" -H 'Content-Type: application/json' \
  -d '{"clientId":"bench","enabled":true,"publicClient":false,"clientAuthenticatorType":"client-secret","secret":"bench-secret","serviceAccountsEnabled":true,"standardFlowEnabled":false,"directAccessGrantsEnabled":false}'
kc_basic="Basic $(printf 'bench:bench-secret' | base64 -w0)"
kc_oidc=$keycloak/realms/bench/protocol/openid-connect
curl -fsS -o /dev/null -H "Authorization: $kc_basic" -d grant_type=client_credentials "$kc_oidc/token"
echo "Measuring Keycloak ..."
kc_form=(BENCH_METHOD=POST BENCH_TYPE=application/x-www-form-urlencoded BENCH_BASIC="$kc_basic")
measure kc_token "Keycloak token: client_credentials, client_secret_basic" "$kc_jvm" "$keycloak" "${kc_form[@]}" \
  BENCH_PATH=/realms/bench/protocol/openid-connect/token BENCH_BODY='grant_type=client_credentials' BENCH_EXPECT='"access_token"'
issue_tokens "$kc_oidc/token" "$kc_basic" grant_type=client_credentials "$run/keycloak-tokens.tsv"
measure kc_introspect "Keycloak introspection of the client's tokens (500)" "$kc_jvm" "$keycloak" "${kc_form[@]}" \
  BENCH_PATH=/realms/bench/protocol/openid-connect/token/introspect BENCH_PARAMS="$run/keycloak-tokens.tsv" \
  BENCH_BODY='token={token}' BENCH_EXPECT='"active":true'
kc_rss=$(rss_mb "$kc_jvm")
stop_tree "$kc"
kc=

# --- 8. the table and the goals -------------------------------------------------------------------
goal() { # LABEL VALUE OPERATOR LIMIT
  local met
  met=$(awk "BEGIN {print ($2 $3 $4) ? \"met\" : \"NOT MET\"}")
  printf '  %-44s %9s   goal %s %-6s %s\n' "$1" "$2" "$3" "$4" "$met"
}
ratio() { calc %.2f "($2 > 0) ? $1 / $2 : 0"; }
{
  echo "Bastion on WildFly + $db, $patients Synthea patients, wrk -t2 -c$connections, $seconds s per row, $cores cores, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  column -t -s $'\t' "$run/rows.tsv"
  echo
  echo "errors: non-2xx answers and socket errors; missed: 2xx answers without the expected content (a search without"
  echo "entries, an inactive token); cores: the server's (Keycloak's) CPU time over the run's wall time, of $cores"
  echo
  echo "load: $resources resources in $load_seconds s ($bundle_count bundles, $failed failed, two at a time): $load_rate resources/s"
  [ -n "${BASTION_FHIR_MAX_BODY_BYTES:-}" ] && echo "      (BASTION_FHIR_MAX_BODY_BYTES=$BASTION_FHIR_MAX_BODY_BYTES for the largest bundle, $largest bytes)"
  echo "start to /health/ready: $ready s; server RSS idle $rss_idle MB, after the runs $rss_after MB; Keycloak RSS after its runs $kc_rss MB"
  echo "server CPU from the first run to the last: $cpu_share cores of $cores (wrk runs on the same machine)"
  echo "server garbage collection since its start: ${gc:-jstat unavailable}"
  [ "$db" = h2 ] && echo "H2 data folder after the runs: ${db_size:-?} MB (compacted while the server runs; docs/operations.md)"
  echo "signing ceiling (RSA-2048 SHA256withRSA, $cores threads): $ceiling signatures/s"
  echo
  echo "goals:"
  goal "Observation patient+code / read" "$(ratio "${rate[code]}" "${rate[read]}")" '>=' 0.5
  goal "token / signing ceiling" "$(ratio "${rate[token]}" "$ceiling")" '>=' 0.75
  goal "token / Keycloak token" "$(ratio "${rate[token]}" "${rate[kc_token]}")" '>=' 2.5
  goal "introspection / Keycloak introspection" "$(ratio "${rate[introspect]}" "${rate[kc_introspect]}")" '>=' 3
  goal "seconds to ready" "$ready" '<=' 15
  goal "RSS idle, MB" "$rss_idle" '<=' 600
  goal "RSS after the runs, MB" "$rss_after" '<=' 800
  goal "load, resources/s" "$load_rate" '>=' 1000
  goal "creates/s" "${rate[create]}" '>=' 1000
} | tee "$result"
echo "(also in $result; wrk's output in $run/wrk.log)"
