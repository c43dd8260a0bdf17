#!/usr/bin/env bash
# Runs Synthea (org.mitre.synthea:synthea 3.3.0 from Maven Central, offline) with a fixed seed:
#   tools/synthea.sh WORK_DIR PATIENTS SEED [SYNTHEA OPTIONS...]
# FHIR R4 transaction bundles land in WORK_DIR/out/fhir (one per patient, plus the hospitals'
# and practitioners'); Synthea's log in WORK_DIR/generate.log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:?usage: synthea.sh WORK_DIR PATIENTS SEED [OPTIONS...]}
patients=${2:?usage: synthea.sh WORK_DIR PATIENTS SEED [OPTIONS...]}
seed=${3:?usage: synthea.sh WORK_DIR PATIENTS SEED [OPTIONS...]}
shift 3
mkdir -p "$work"
work=$(cd "$work" && pwd)   # absolute: Maven resolves -Dmdep.outputFile against the pom's folder
cat > "$work/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>tools</groupId><artifactId>synthea-run</artifactId><version>1</version>
<dependencies><dependency><groupId>org.mitre.synthea</groupId><artifactId>synthea</artifactId><version>3.3.0</version></dependency></dependencies>
</project>
POM
"$here/../mvnw" -q -B -f "$work/pom.xml" dependency:build-classpath -Dmdep.outputFile="$work/cp.txt"
(cd "$work" && java -cp "$(cat cp.txt)" App -p "$patients" -s "$seed" --exporter.fhir.export=true \
  --exporter.hospital.fhir.export=true --exporter.practitioner.fhir.export=true \
  --exporter.baseDirectory="$work/out" "$@" Massachusetts > generate.log)
