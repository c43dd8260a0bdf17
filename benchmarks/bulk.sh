#!/usr/bin/env bash
# The bulk data rates on a Synthea population, on a fresh server and an empty database:
#   benchmarks/bulk.sh [--patients N] [--postgresql]      (defaults: 100 patients, H2)
# 1. Synthea N patients (tools/synthea.sh, seed 42) in its bulk data form, one NDJSON file per type
#    with the resources' ids, generated once into target/synthea-N-ndjson;
# 2. WildFly + Bastion from the build on port 9280, H2 in a fresh data folder or, with --postgresql,
#    a fresh PostgreSQL 14 on port 15532; an admin-registered backend client with system/*.*;
# 3. $import of every file from the server's import folder (BASTION_IMPORT_DIR: the Synthea folder),
#    Organization, Location, Practitioner, PractitionerRole, Patient, Medication first: resources/s;
#    then each type's search total (_summary=count) against its file's lines;
# 4. $export of everything: resources/s; each type's exported lines against its file's lines.
# The table goes to stdout and to target/bulk-<h2|postgresql>-<N>.txt; the run's files (server log,
# manifests) stay in target/bulk-<db>-<N>/. Stops with an error when a count differs.
# Needs: a build (./mvnw -DskipTests install), curl, jq, a JDK.
set -euo pipefail
patients=100 db=h2
while [ $# -gt 0 ]; do
  case "$1" in
    --patients) patients=$2; shift 2 ;;
    --postgresql) db=postgresql; shift ;;
    *) echo "usage: bulk.sh [--patients N] [--postgresql]" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
home=$(ls -d "$root"/it/target/wildfly-*/ 2>/dev/null | head -1)
home=${home%/}
ear=$root/it/target/deployments/bastion.ear
if [ -z "$home" ] || [ ! -f "$ear" ]; then
  echo "No build: run ./mvnw -B -DskipTests install first (it makes it/target/wildfly-* and it/target/deployments/bastion.ear)" >&2
  exit 2
fi
for tool in curl jq java; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install $tool)" >&2; exit 2; }
done
port=9280 pg_port=15532
base=http://localhost:$port
fhir=$base/fhir/r4
for p in $port $pg_port; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "port $p is in use" >&2; exit 2; fi
done
target=$here/target
run=$target/bulk-$db-$patients
result=$target/bulk-$db-$patients.txt
rm -rf "$run"
mkdir -p "$run"
server= jvm= pg_dir=
. "$here/server.sh"
cleanup() {
  [ -n "$server" ] && stop_tree "$server"
  stop_postgresql
  true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. the data set ---------------------------------------------------------------------------
data=$target/synthea-$patients-ndjson
if [ ! -d "$data/out/fhir" ]; then
  echo "Generating $patients patients with Synthea (seed 42, bulk data form) into $data ..."
  "$root/tools/synthea.sh" "$data" "$patients" 42 --exporter.fhir.bulk_data=true
fi
files=$data/out/fhir
declare -A lines
total=0
for f in "$files"/*.ndjson; do
  name=$(basename "$f")
  type=${name%%.*}
  lines[$type]=$(( ${lines[$type]:-0} + $(wc -l < "$f") ))
  total=$(( total + $(wc -l < "$f") ))
done
echo "$total resources of ${#lines[@]} types in $files"

# --- 2. the database and the server ------------------------------------------------------------
export BASTION_ADMIN_PASSWORD=bench-admin-pw BASTION_BASE_URL=$base BASTION_DATA_DIR=$run/server/data
export BASTION_IMPORT_DIR=$files
config=standalone-bastion.xml
if [ "$db" = postgresql ]; then
  start_postgresql "$target/postgresql" "$run" $pg_port
  config=standalone-bastion-pg.xml
fi
echo "Starting WildFly + Bastion ($db) on $base ..."
start_bastion "$run/server" "$config" $port
echo "Ready after $ready s"
registration=$("$here/backend-client.sh" "$base" "bulk-bench")
basic="Basic $(printf '%s:%s' "$(jq -r .client_id <<<"$registration")" "$(jq -r .client_secret <<<"$registration")" | base64 -w0)"
token() { curl -fsS -H "Authorization: $basic" -d grant_type=client_credentials -d 'scope=system/*.*' "$base/oauth2/token" | jq -r .access_token; }
# bulk_job STATUS_URL OUT: waits for the manifest (a fresh token every 4 minutes: they live 5), into OUT
bulk_job() {
  local token_at=0 token=
  while true; do
    if (( $(date +%s) - token_at > 240 )); then token=$(token); token_at=$(date +%s); fi
    [ "$(curl -s -o "$2" -w '%{http_code}' -H "Authorization: Bearer $token" "$1")" = 200 ] && return
    if [ "$(df --output=avail -B1M "$run" | tail -1)" -lt 4096 ]; then
      echo "Less than 4 GB of disk left beside $run (database: $(du -sm "${pg_dir:-$run/server/data}" | cut -f1) MB): stopped" >&2
      exit 1
    fi
    sleep 1
  done
}
kick_off() { # URL [CURL OPTIONS...]: the kick-off's Content-Location
  local url=$1
  shift
  curl -fsS -D - -o "$run/kick-off.json" -H "Authorization: Bearer $(token)" -H 'Prefer: respond-async' "$@" "$url" \
    | tr -d '\r' | awk 'tolower($1) == "content-location:" {print $2}'
}

# --- 3. the import -----------------------------------------------------------------------------
first=(Organization Location Practitioner PractitionerRole Patient Medication)
ordered=()
for t in "${first[@]}"; do
  for f in "$files/$t".*ndjson; do [ -f "$f" ] && ordered+=("$(basename "$f")"); done
done
for f in "$files"/*.ndjson; do
  name=$(basename "$f")
  [[ " ${first[*]} " == *" ${name%%.*} "* ]] || ordered+=("$name")
done
printf '%s\n' "${ordered[@]}" | jq -R '{name: "input", part: [{name: "type", valueString: (. | split(".")[0])}, {name: "url", valueUri: ("file:" + .)}]}' \
  | jq -s '{resourceType: "Parameters", parameter: ([{name: "inputFormat", valueString: "application/fhir+ndjson"}] + .)}' > "$run/import-parameters.json"
echo "Importing ${#ordered[@]} files ..."
start=$(now)
status=$(kick_off "$fhir/\$import" -H 'Content-Type: application/fhir+json' --data-binary @"$run/import-parameters.json")
bulk_job "$status" "$run/import-manifest.json"
import_seconds=$(calc %.1f "$(now) - $start")
imported=$(jq '[.output[].count] | add' "$run/import-manifest.json")
import_errors=$(jq '[.error[].count] | add // 0' "$run/import-manifest.json")
import_rate=$(calc %.0f "$imported / $import_seconds")
echo "Imported $imported resources in $import_seconds s: $import_rate resources/s ($import_errors lines failed)"
differences=()
search_token=$(token)
for type in "${!lines[@]}"; do
  found=$(curl -fsS -H "Authorization: Bearer $search_token" "$fhir/$type?_summary=count" | jq .total)
  [ "$found" = "${lines[$type]}" ] || differences+=("$type: ${lines[$type]} lines, $found found by a search")
done

# --- 4. the export -----------------------------------------------------------------------------
echo "Exporting everything ..."
start=$(now)
status=$(kick_off "$fhir/\$export")
bulk_job "$status" "$run/export-manifest.json"
export_seconds=$(calc %.1f "$(now) - $start")
exported=$(jq '[.output[].count] | add' "$run/export-manifest.json")
export_rate=$(calc %.0f "$exported / $export_seconds")
echo "Exported $exported resources in $export_seconds s: $export_rate resources/s"
for type in "${!lines[@]}"; do
  count=$(jq --arg t "$type" '[.output[] | select(.type == $t) | .count] | add // 0' "$run/export-manifest.json")
  [ "$count" = "${lines[$type]}" ] || differences+=("$type: ${lines[$type]} lines, $count exported")
done
rss=$(rss_mb "$jvm")
db_size=$(du -sm "${pg_dir:+$pg_dir/}${pg_dir:+data}${pg_dir:-$run/server/data}" 2>/dev/null | cut -f1)
stop_tree "$server"
server=

{
  echo "Bastion bulk data on WildFly + $db, $patients Synthea patients (bulk data form, seed 42), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "import of $total resources (${#lines[@]} types, ${#ordered[@]} files) into an empty server: $imported in $import_seconds s: $import_rate resources/s, $import_errors lines failed"
  echo "export of everything: $exported resources in $export_seconds s: $export_rate resources/s"
  echo "search totals and exported lines against the files' lines: ${#differences[@]} differences"
  echo "server RSS after both: $rss MB; database folder: ${db_size:-?} MB; start to ready: $ready s; JVM sizing: ${BASTION_JAVA_SIZING:-the default (-Xmx512m, serial collector)}"
} | tee "$result"
if [ ${#differences[@]} -gt 0 ]; then
  printf '  %s\n' "${differences[@]}" | tee -a "$result"
  exit 1
fi
