#!/usr/bin/env bash
# A local ScimOrleans cluster on loopback, without docker: one PostgreSQL and N silos (cluster mode), plus an
# HAProxy load balancer in front when haproxy is installed. Everything lives in a state directory (default ./.cluster,
# gitignored) and is stopped by `down`.
#
#   scripts/cluster.sh up [N]      start PostgreSQL and silos 1..N (default 3); running ones are kept, so `up 4`
#                                  after `up 3` adds a silo to the running cluster
#   scripts/cluster.sh status      PostgreSQL, each silo's /readyz, the Orleans membership table
#   scripts/cluster.sh stop I      stop silo I gracefully (SIGTERM: drain HTTP, hand grains over, leave)
#   scripts/cluster.sh kill I      kill silo I abruptly (SIGKILL), to watch the cluster survive a crash
#   scripts/cluster.sh down [--purge]  stop everything this script started; --purge also deletes the state directory
#
# Silo I listens on http://127.0.0.1:$((5000+I)), silo port $((11110+I)), gateway port $((29999+I)).
# Environment: SCIM_CLUSTER_DIR (state directory), SCIM_CLUSTER_PG_PORT (55432), SCIM_CLUSTER_LB_PORT (5000),
# SCIM_CLUSTER_TENANT (demo), SCIM_CLUSTER_SKIP_BUILD=1 (reuse the published silo in the state directory).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$(realpath -m "${SCIM_CLUSTER_DIR:-$ROOT/.cluster}")"
PG_PORT="${SCIM_CLUSTER_PG_PORT:-55432}"
LB_PORT="${SCIM_CLUSTER_LB_PORT:-5000}"
TENANT="${SCIM_CLUSTER_TENANT:-demo}"
CLUSTER_ID="local"
SERVICE_ID="scimorleans"
DATABASE="scim"
# Longer than the silo's own graceful-stop budget (Scim:ShutdownTimeoutSeconds, 30 s) before SIGKILL.
STOP_WAIT_SECONDS=45

die() { echo "cluster.sh: $*" >&2; exit 1; }
note() { echo "==> $*"; }

# Whether something accepts connections on a loopback port.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# PostgreSQL refuses to run as root: as root, its tools run as the `postgres` system user.
as_pg() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
  local initdb
  initdb="$(command -v initdb 2>/dev/null || true)"
  if [ -n "$initdb" ] && [ -x "$(dirname "$initdb")/pg_ctl" ]; then dirname "$initdb"; return; fi
  local candidate
  for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then echo "$candidate"; return; fi
  done
  die "PostgreSQL server binaries (initdb, pg_ctl) not found; install them (Debian: apt-get install postgresql)"
}

# Where the PostgreSQL data directory lives: inside the state directory when the postgres user can reach it,
# otherwise (running as root in a directory only root can traverse) a private directory under /tmp.
pg_root() {
  if [ -f "$STATE/pg.path" ]; then cat "$STATE/pg.path"; return; fi
  local dir="$STATE/pg"
  if is_root && ! runuser -u postgres -- test -x "$STATE"; then
    dir="$(mktemp -d /tmp/scimorleans-cluster-pg.XXXXXX)"
  fi
  mkdir -p "$dir"
  echo "$dir" > "$STATE/pg.path"
  echo "$dir"
}

connection_string() {
  echo "Host=127.0.0.1;Port=$PG_PORT;Database=$DATABASE;Username=postgres"
}

pg_running() {
  local root; root="$(pg_root)"
  [ -f "$root/data/postmaster.pid" ] && as_pg "$(pg_bin)/pg_ctl" -D "$root/data" status >/dev/null 2>&1
}

start_postgres() {
  local bin root
  bin="$(pg_bin)"; root="$(pg_root)"
  if is_root; then chown postgres: "$root"; fi
  if [ ! -f "$root/data/PG_VERSION" ]; then
    note "Initialising PostgreSQL in $root/data"
    as_pg "$bin/initdb" -D "$root/data" -U postgres -A trust -E UTF8 --locale=C --no-instructions >"$STATE/initdb.log" 2>&1 \
      || { cat "$STATE/initdb.log" >&2; die "initdb failed"; }
  fi
  if pg_running; then
    note "PostgreSQL already running on 127.0.0.1:$PG_PORT"
  else
    port_busy "$PG_PORT" && die "port $PG_PORT is taken by another program; choose another with SCIM_CLUSTER_PG_PORT"
    note "Starting PostgreSQL on 127.0.0.1:$PG_PORT"
    # Loopback only; max_connections covers 8 silos x (20 store + 10 Orleans) connections with room for psql.
    as_pg "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='$root' -c max_connections=300" start >/dev/null \
      || { tail -n 20 "$root/server.log" >&2 || true; die "PostgreSQL did not start"; }
  fi
  if ! psql_q "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" postgres | grep -q 1; then
    psql_q "CREATE DATABASE $DATABASE" postgres >/dev/null
  fi
}

psql_q() {
  local sql="$1" db="${2:-$DATABASE}"
  psql -X -q -t -A -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" -c "$sql"
}

stop_postgres() {
  [ -f "$STATE/pg.path" ] || return 0
  local root; root="$(pg_root)"
  if pg_running; then
    note "Stopping PostgreSQL"
    as_pg "$(pg_bin)/pg_ctl" -D "$root/data" -m fast -w -t 60 stop >/dev/null
  fi
}

publish_silo() {
  if [ "${SCIM_CLUSTER_SKIP_BUILD:-0}" = "1" ] && [ -f "$STATE/app/ScimOrleans.Silo.dll" ]; then return; fi
  command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK (dotnet) is needed"
  note "Publishing the silo (Release) to $STATE/app"
  dotnet publish "$ROOT/src/ScimOrleans.Silo/ScimOrleans.Silo.csproj" -c Release -o "$STATE/app" --nologo -v quiet >"$STATE/publish.log" 2>&1 \
    || { tail -n 30 "$STATE/publish.log" >&2; die "dotnet publish failed"; }
}

ensure_secrets() {
  if [ ! -f "$STATE/secrets.env" ]; then
    local admin token
    admin="scimadmin_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    token="scim_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    printf 'ADMIN_KEY=%s\nTENANT_TOKEN=%s\n' "$admin" "$token" > "$STATE/secrets.env"
    chmod 600 "$STATE/secrets.env"
  fi
  # shellcheck disable=SC1091
  . "$STATE/secrets.env"
}

silo_http_port() { echo $((5000 + $1)); }
silo_pid() { [ -f "$STATE/silo$1.pid" ] && cat "$STATE/silo$1.pid" || true; }
silo_alive() { local pid; pid="$(silo_pid "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

start_silo() {
  local i="$1" http
  http="$(silo_http_port "$i")"
  if silo_alive "$i"; then note "Silo $i already running (pid $(silo_pid "$i"))"; return; fi
  local port
  for port in "$http" $((11110 + i)) $((29999 + i)); do
    port_busy "$port" && die "port $port (silo $i) is taken by another program"
  done
  note "Starting silo $i: http://127.0.0.1:$http (silo port $((11110 + i)), gateway $((29999 + i)))"
  (
    cd "$STATE/app"
    Scim__Mode=Cluster \
    ConnectionStrings__Scim="$(connection_string)" \
    Orleans__ClusterId="$CLUSTER_ID" \
    Orleans__ServiceId="$SERVICE_ID" \
    Orleans__SiloPort=$((11110 + i)) \
    Orleans__GatewayPort=$((29999 + i)) \
    Orleans__AdvertisedIPAddress=127.0.0.1 \
    Scim__AdminKey="$ADMIN_KEY" \
    Scim__Bootstrap__Tenant="$TENANT" \
    Scim__Bootstrap__Token="$TENANT_TOKEN" \
    ASPNETCORE_URLS="http://127.0.0.1:$http" \
    setsid dotnet ScimOrleans.Silo.dll >"$STATE/silo$i.log" 2>&1 < /dev/null &
    echo $! > "$STATE/silo$i.pid"
  )
}

wait_ready() {
  local i="$1" http deadline
  http="$(silo_http_port "$i")"
  deadline=$((SECONDS + 120))
  until curl -fsS -o /dev/null "http://127.0.0.1:$http/readyz" 2>/dev/null; do
    if ! silo_alive "$i"; then tail -n 30 "$STATE/silo$i.log" >&2 || true; die "silo $i exited during start-up (log: $STATE/silo$i.log)"; fi
    if [ "$SECONDS" -ge "$deadline" ]; then die "silo $i not ready after 120 s (log: $STATE/silo$i.log)"; fi
    sleep 0.5
  done
}

signal_silo() {
  local i="$1" signal="$2" pid
  pid="$(silo_pid "$i")"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then rm -f "$STATE/silo$i.pid"; return 1; fi
  kill "-$signal" "$pid"
}

await_exit() {
  local i="$1" pid deadline
  pid="$(silo_pid "$i")"
  [ -n "$pid" ] || return 0
  deadline=$((SECONDS + STOP_WAIT_SECONDS))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "silo $i did not stop within ${STOP_WAIT_SECONDS}s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.2
  done
  rm -f "$STATE/silo$i.pid"
}

silo_indexes() {
  local f
  for f in "$STATE"/silo*.pid; do
    [ -e "$f" ] || continue
    f="${f##*/silo}"; echo "${f%.pid}"
  done | sort -n
}

# The load balancer: HAProxy with active /readyz checks, so a stopping or dead silo leaves the rotation within
# about 2 s; only failed connections are retried elsewhere (never a request a silo may have processed).
start_lb() {
  if ! command -v haproxy >/dev/null 2>&1; then
    note "No load balancer (haproxy not installed): use the silo URLs directly"
    return
  fi
  local cfg="$STATE/haproxy.cfg" i
  {
    echo "global"
    echo "  maxconn 4096"
    echo "defaults"
    echo "  mode http"
    echo "  timeout connect 2s"
    echo "  timeout client 60s"
    echo "  timeout server 60s"
    echo "  retries 3"
    echo "  option redispatch"
    echo "frontend scim"
    echo "  bind 127.0.0.1:$LB_PORT"
    echo "  default_backend silos"
    echo "backend silos"
    echo "  balance roundrobin"
    echo "  option httpchk GET /readyz"
    echo "  http-check expect status 200"
    echo "  default-server inter 1s fall 2 rise 1"
    for i in $(silo_indexes); do
      echo "  server silo$i 127.0.0.1:$(silo_http_port "$i") check"
    done
  } > "$cfg"
  local old=""
  if [ ! -f "$STATE/haproxy.pid" ] && port_busy "$LB_PORT"; then
    note "Port $LB_PORT is taken: no load balancer (choose another with SCIM_CLUSTER_LB_PORT)"
    return
  fi
  if [ -f "$STATE/haproxy.pid" ] && kill -0 "$(cat "$STATE/haproxy.pid")" 2>/dev/null; then old="$(cat "$STATE/haproxy.pid")"; fi
  if [ -n "$old" ]; then
    haproxy -D -p "$STATE/haproxy.pid" -f "$cfg" -sf "$old"
  else
    haproxy -D -p "$STATE/haproxy.pid" -f "$cfg"
  fi
  note "Load balancer (HAProxy) on http://127.0.0.1:$LB_PORT"
}

stop_lb() {
  if [ -f "$STATE/haproxy.pid" ]; then
    local pid; pid="$(cat "$STATE/haproxy.pid")"
    if kill -0 "$pid" 2>/dev/null; then note "Stopping the load balancer"; kill "$pid"; fi
    rm -f "$STATE/haproxy.pid"
  fi
}

summary() {
  local i url lb=""
  if [ -f "$STATE/haproxy.pid" ] && kill -0 "$(cat "$STATE/haproxy.pid")" 2>/dev/null; then lb="http://127.0.0.1:$LB_PORT"; fi
  url="${lb:-http://127.0.0.1:$(silo_http_port "$(silo_indexes | head -n 1)")}"
  echo
  echo "=== ScimOrleans cluster ($(silo_indexes | wc -l) silos, PostgreSQL 127.0.0.1:$PG_PORT/$DATABASE) ==="
  for i in $(silo_indexes); do
    echo "  silo $i: http://127.0.0.1:$(silo_http_port "$i")   log: $STATE/silo$i.log"
  done
  if [ -n "$lb" ]; then echo "  load balancer: $lb"; fi
  echo "  SCIM base URL: $url/scim/v2/$TENANT"
  echo "  Bearer token:  $TENANT_TOKEN"
  echo "  Admin key:     $ADMIN_KEY"
  echo "  Try: curl -H \"Authorization: Bearer $TENANT_TOKEN\" $url/scim/v2/$TENANT/Users"
  echo "  Stop: scripts/cluster.sh down"
}

cmd_up() {
  local n="${1:-3}" i
  [[ "$n" =~ ^[1-9][0-9]?$ ]] || die "up N: N is the number of silos (1-99)"
  mkdir -p "$STATE"
  start_postgres
  publish_silo
  ensure_secrets
  for i in $(seq 1 "$n"); do start_silo "$i"; done
  for i in $(seq 1 "$n"); do wait_ready "$i"; done
  start_lb
  summary
}

cmd_status() {
  [ -d "$STATE" ] || { echo "no cluster state in $STATE"; return 0; }
  if [ -f "$STATE/pg.path" ] && pg_running; then echo "PostgreSQL: running on 127.0.0.1:$PG_PORT"; else echo "PostgreSQL: stopped"; fi
  local i ready
  for i in $(silo_indexes); do
    if silo_alive "$i"; then
      ready="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(silo_http_port "$i")/readyz" || true)"
      echo "silo $i: running (pid $(silo_pid "$i")), /readyz $ready"
    else
      echo "silo $i: not running"
    fi
  done
  if [ -f "$STATE/haproxy.pid" ] && kill -0 "$(cat "$STATE/haproxy.pid")" 2>/dev/null; then
    echo "load balancer: http://127.0.0.1:$LB_PORT"
  fi
  if [ -f "$STATE/pg.path" ] && pg_running; then
    echo "Orleans membership (cluster '$CLUSTER_ID'):"
    psql_q "SELECT '  ' || Address || ':' || Port || '  ' || CASE Status WHEN 3 THEN 'Active' WHEN 6 THEN 'Dead' WHEN 1 THEN 'Created' WHEN 2 THEN 'Joining' WHEN 4 THEN 'ShuttingDown' WHEN 5 THEN 'Stopping' ELSE Status::text END FROM OrleansMembershipTable WHERE DeploymentId = '$CLUSTER_ID' ORDER BY Port, Generation" 2>/dev/null || true
  fi
}

cmd_stop() {
  local i="${1:-}"; [ -n "$i" ] || die "stop I: which silo"
  if signal_silo "$i" TERM; then note "Stopping silo $i gracefully"; await_exit "$i"; start_lb; else echo "silo $i is not running"; fi
}

cmd_kill() {
  local i="${1:-}"; [ -n "$i" ] || die "kill I: which silo"
  if signal_silo "$i" KILL; then note "Killed silo $i"; await_exit "$i"; else echo "silo $i is not running"; fi
}

cmd_down() {
  [ -d "$STATE" ] || { echo "nothing to stop"; return 0; }
  stop_lb
  local i
  for i in $(silo_indexes); do signal_silo "$i" TERM && note "Stopping silo $i" || true; done
  for i in $(silo_indexes); do await_exit "$i"; done
  stop_postgres
  if [ "${1:-}" = "--purge" ]; then
    local root=""
    [ -f "$STATE/pg.path" ] && root="$(cat "$STATE/pg.path")"
    rm -rf "$STATE"
    if [ -n "$root" ]; then rm -rf "$root"; fi
    note "Deleted $STATE"
  fi
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  status) cmd_status ;;
  stop) shift; cmd_stop "$@" ;;
  kill) shift; cmd_kill "$@" ;;
  down) shift; cmd_down "$@" ;;
  *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
