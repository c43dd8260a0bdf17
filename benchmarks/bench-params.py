"""Parameters for benchmarks/bench.sh, from the Synthea bundles it loaded and the server's answers.

    python3 benchmarks/bench-params.py FHIR_DIR LOAD_DIR PARAMS_TSV

LOAD_DIR holds, for each bundle NAME.json, NAME.json.status (the HTTP status of its upload) and
NAME.json.response (the transaction's answer). For each loaded patient the Patient's id the server
gave it (the location of the Patient's entry in the answer), its family name, and three
Observation codes and three years it really has Observations in; written as rows of PARAMS_TSV
(id, family, code, year, next: the year after; family and code URL-encoded, code as system|code), shuffled with a fixed seed, so that
requests that take the rows in turn go to ever different patients. Prints
"resources=N patients=P failed=F": the entries of the bundles loaded, the patients, the bundles not loaded.
"""
import collections
import json
import os
import random
import sys
import urllib.parse

fhir_dir, load_dir, out = sys.argv[1:4]
rows, resources, patients, failed = [], 0, 0, 0


def spread(ranked):
    """Three of a ranked list: the first, the middle and the last (fewer when it is shorter)."""
    picks = [ranked[0], ranked[len(ranked) // 2], ranked[-1]] if ranked else []
    return list(dict.fromkeys(picks))


for name in sorted(os.listdir(fhir_dir)):
    if not name.endswith(".json"):
        continue
    status_file = os.path.join(load_dir, name + ".status")
    status = open(status_file).read().strip() if os.path.exists(status_file) else "none"
    if status != "200":
        failed += 1
        continue
    with open(os.path.join(fhir_dir, name)) as f:
        entries = json.load(f)["entry"]
    resources += len(entries)
    index = next((i for i, e in enumerate(entries) if e["resource"]["resourceType"] == "Patient"), None)
    if index is None:  # the hospitals' and practitioners' bundles
        continue
    with open(os.path.join(load_dir, name + ".response")) as f:
        location = json.load(f)["entry"][index]["response"]["location"]
    patient_id = location.split("Patient/", 1)[1].split("/", 1)[0]
    family = entries[index]["resource"]["name"][0]["family"]
    codes, years = collections.Counter(), collections.Counter()
    for entry in entries:
        resource = entry["resource"]
        if resource["resourceType"] != "Observation":
            continue
        coding = resource.get("code", {}).get("coding", [])
        if coding:
            codes[coding[0]["system"] + "|" + coding[0]["code"]] += 1
        if "effectiveDateTime" in resource:
            years[resource["effectiveDateTime"][:4]] += 1
    if not codes or not years:
        continue
    patients += 1
    picked_codes = spread([c for c, _ in codes.most_common()])
    picked_years = [y for y, _ in years.most_common(3)]
    for k in range(3):
        year = picked_years[k % len(picked_years)]
        rows.append((patient_id, urllib.parse.quote(family, safe=""), urllib.parse.quote(picked_codes[k % len(picked_codes)], safe=""),
                     year, str(int(year) + 1)))

random.Random(42).shuffle(rows)
with open(out, "w") as f:
    f.write("id\tfamily\tcode\tyear\tnext\n")
    for row in rows:
        f.write("\t".join(row) + "\n")
print(f"resources={resources} patients={patients} failed={failed}")
