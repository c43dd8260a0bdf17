#!/usr/bin/env bash
# Regenerates the demo data set that BASTION_DEMO=true loads (src/main/resources/demo): Synthea
# (tools/synthea.sh: from Maven Central, offline, fixed seed) makes realistic patients with
# five years of encounters, conditions, observations, medications, immunizations, allergies and
# procedures; the bundles are gzipped and listed in load order in demo/bundles.txt.
#   ejb-module/demo-data.sh [PATIENTS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
patients=${1:-30}
work=$here/target/demo-data
out=$here/src/main/resources/demo
rm -rf "$work" && mkdir -p "$work"
"$here/../tools/synthea.sh" "$work" "$patients" 20261125 -cs 20261125 -r 20261101 \
  --exporter.years_of_history=5 --generate.only_alive_patients=true --generate.append_numbers_to_person_names=false \
  --exporter.fhir.included_resources=Patient,Encounter,Condition,Observation,MedicationRequest,Medication,Immunization,AllergyIntolerance,Procedure,CarePlan,Goal,Organization,Practitioner,PractitionerRole,Location
rm -f "$out"/*.json.gz "$out/bundles.txt"
for kind in hospitalInformation practitionerInformation; do
  gzip -9 -n -c "$work"/out/fhir/$kind*.json > "$out/$kind.json.gz"; echo "$kind.json.gz" >> "$out/bundles.txt"
done
for f in $(ls "$work"/out/fhir/*.json | sort); do
  case "$f" in *hospitalInformation*|*practitionerInformation*) continue ;; esac
  name=$(basename "$f" | sed -E 's/_[0-9a-f-]{36}//')
  gzip -9 -n -c "$f" > "$out/$name.gz"; echo "$name.gz" >> "$out/bundles.txt"
done
echo "$(wc -l < "$out/bundles.txt") bundles, $(du -ch "$out"/*.gz | tail -1 | cut -f1) in $out"
