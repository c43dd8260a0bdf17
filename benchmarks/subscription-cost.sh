#!/usr/bin/env bash
# What Subscriptions cost a write, and how fast their notifications go out, on a fresh WildFly + H2
# (port 9880) and an empty database, with a local receiver (port 9881) answering 200 to every one:
#   - creates/s of Observations (each request a different one: code, value, date from a table of
#     10 000 rows, six LOINC codes) with no subscription, with one (criteria: one of the six codes,
#     so one write in six matches) and with ten (each write queues ten notifications, one or two
#     of which match);
#   - for the runs with subscriptions: the notifications the receiver got (each matching create
#     once: the resource PUT to endpoint/Observation/[id]) and how long after the last write the
#     last one arrived.
#   benchmarks/subscription-cost.sh [SECONDS] [CONNECTIONS]     (defaults: 20 s, 8 connections)
# The table goes to stdout and to target/subscription-cost.txt.
# Needs: a build (./mvnw -DskipTests install), wrk, curl, jq, python3, a JDK.
set -euo pipefail
seconds=${1:-20}
connections=${2:-8}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/server.sh"
require_build wrk curl jq python3 java
port=9880 receiver_port=9881
base=http://localhost:$port
fhir=$base/fhir/r4
receiver=http://127.0.0.1:$receiver_port
export BASTION_ADMIN_PASSWORD=bench-admin-pw BASTION_BASE_URL=$base BASTION_AUTHORIZE_RATE_LIMIT=0
run=$here/target/subscription-cost
result=$here/target/subscription-cost.txt
rm -rf "$run"
mkdir -p "$run"
server= jvm= listener=
trap '[ -n "$server" ] && stop_tree "$server"; [ -n "$listener" ] && kill "$listener" 2>/dev/null; true' EXIT

# the receiver: 200 to every PUT and POST, counted per first path segment (one per subscription);
# GET /count/NAME answers how many NAME got
cat > "$run/receiver.py" <<'PY'
import collections, http.server, sys, threading
counts = collections.Counter()
lock = threading.Lock()
class Receiver(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def answer(self, status, text=""):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_PUT(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            counts[self.path.split("/")[1]] += 1
        self.answer(200)
    do_POST = do_PUT
    def do_GET(self):
        with lock:
            self.answer(200, str(counts[self.path.split("/")[-1]]))
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver).serve_forever()
PY
python3 "$run/receiver.py" $receiver_port &
listener=$!

echo "Starting WildFly + Bastion (H2) on $base ..."
BASTION_DATA_DIR=$run/data start_bastion "$run/server" standalone-bastion.xml $port
admin=$("$here/admin-token.sh" "$base")
curl -fsS -o /dev/null -X PUT "$base/admin/api/settings" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d "{\"outbound_allowed_origins\":\"$receiver\"}"
registration=$("$here/backend-client.sh" "$base" "subscription benchmark")
token=$(curl -fsS -u "$(jq -r .client_id <<<"$registration"):$(jq -r .client_secret <<<"$registration")" \
  -d grant_type=client_credentials -d 'scope=system/*.*' "$base/oauth2/token" | jq -r .access_token)

codes=(2339-0 8867-4 8480-6 29463-7 8310-5 718-7)
awk -v codes="${codes[*]}" 'BEGIN {
  srand(42); print "code\tvalue\tdate"; split(codes, c, " ")
  for (i = 1; i <= 10000; i++)
    printf "%s\t%.1f\t%04d-%02d-%02d\n", c[1 + i % 6], 20 + rand() * 180, 2000 + int(rand() * 25), 1 + int(rand() * 12), 1 + int(rand() * 28)
}' > "$run/params.tsv"
observation='{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"{code}"}]},"valueQuantity":{"value":{value},"unit":"1","system":"http://unitsofmeasure.org","code":"1"},"effectiveDateTime":"{date}"}'

total() { # the Observations with this LOINC code
  curl -fsS "$fhir/Observation?code=http://loinc.org%7C$1&_summary=count" -H "Authorization: Bearer $token" | jq .total
}
delivered() { curl -fsS "$receiver/count/$1"; }
subscribe() { # NAME CODE: an active subscription to Observations with CODE, notifying $receiver/NAME
  local id
  id=$(curl -fsS -X POST "$fhir/Subscription" -H "Authorization: Bearer $token" -H 'Content-Type: application/fhir+json' \
    -d "{\"resourceType\":\"Subscription\",\"status\":\"requested\",\"reason\":\"benchmark\",\"criteria\":\"Observation?code=http://loinc.org|$2\",
         \"channel\":{\"type\":\"rest-hook\",\"endpoint\":\"$receiver/$1\",\"payload\":\"application/fhir+json\"}}" | jq -r .id)
  [ "$(curl -fsS "$fhir/Subscription/$id" -H "Authorization: Bearer $token" | jq -r .status)" = active ] \
    || { echo "subscription $1 is not active" >&2; exit 1; }
}
declare -A total_before delivered_before
subscriptions=()
phase() { # LABEL: creates/s, then waits for every matching create to reach the receiver
  local name expected=0 got waited ended
  for name in "${subscriptions[@]}"; do
    total_before[$name]=$(total "${name#*-}") delivered_before[$name]=$(delivered "$name")
  done
  measure "$1" /fhir/r4/Observation "$observation"
  ended=$(now)
  [ ${#subscriptions[@]} = 0 ] && return
  while :; do
    expected=0 got=0
    for name in "${subscriptions[@]}"; do
      expected=$(( expected + $(total "${name#*-}") - ${total_before[$name]} ))
      got=$(( got + $(delivered "$name") - ${delivered_before[$name]} ))
    done
    waited=$(calc %.1f "$(now) - $ended")
    [ "$got" -ge "$expected" ] && break
    calc %d "($waited > 600)" | grep -q 1 && { echo "after 600 s: $got of $expected notifications" >&2; exit 1; }
    sleep 0.5
  done
  printf '%-46s %s\n' "  notifications" "$got of $expected matching creates, the last $waited s after the last write" | tee -a "$result.tmp"
}

rm -f "$result.tmp"
phase "create Observation, no subscription"
subscriptions=(s0-8867-4)
subscribe s0-8867-4 8867-4
phase "create Observation, 1 subscription (1 in 6)"
for i in 1 2 3 4 5 6 7 8 9; do
  subscriptions+=("s$i-${codes[i % 6]}")
  subscribe "s$i-${codes[i % 6]}" "${codes[i % 6]}"
done
phase "create Observation, 10 subscriptions"
{
  echo "Subscription cost: WildFly + H2, $connections connections, $seconds s each, $(nproc) cores, $(date -u +%Y-%m-%d)"
  cat "$result.tmp"
} > "$result"
rm -f "$result.tmp"
cat "$result"
