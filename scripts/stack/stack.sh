#!/usr/bin/env bash
# Starts and stops the real monitoring stack on loopback, one daemon at a time.
#
#   stack.sh start postgres|prometheus|victoria|pushgateway|nginx|redis|mariadb [--config FILE]
#   stack.sh stop [DAEMON...]        (no name: every daemon that has a pid file)
#   stack.sh status [DAEMON...]
#
# Each daemon keeps its data, log and pid file in $PROMENADE_STACK_DIR/<daemon>/ (default: the
# repo's .stack/), listens on its own non-default loopback port, and is started so that the
# recorded pid is the daemon's own. `stop` signals only recorded pids.
#
# --config FILE:
#   prometheus  a prometheus.yml (default: scrape Prometheus itself every second)
#   victoria    a -promscrape.config file (default: no scraping, storage and queries only)
#   nginx       directives for the http block, usually server blocks; they must listen on
#               127.0.0.1:$PROMENADE_NGINX_PORT, where readiness is checked (default: a server
#               there that answers 200)
#
# Environment (defaults in brackets): PROMENADE_STACK_DIR [<repo>/.stack],
# PROMENADE_PG_PORT [54329], PROMENADE_PROMETHEUS_PORT [19090], PROMENADE_VICTORIA_PORT [18428],
# PROMENADE_PUSHGATEWAY_PORT [19091], PROMENADE_NGINX_PORT [18080], PROMENADE_REDIS_PORT [16379],
# PROMENADE_STACK_TIMEOUT [30 seconds per start or stop], PROMENADE_PG_BINDIR
# [/usr/lib/postgresql/15/bin, Debian's place for initdb and pg_ctl],
# PROMENADE_MARIADB_PORT [33069], PROMENADE_PROMETHEUS_FEATURES [none: a comma-separated list for
# Prometheus' --enable-feature, e.g. native-histograms, which also makes 2.42 ask for protobuf].
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
STACK_DIR=${PROMENADE_STACK_DIR:-$REPO_DIR/.stack}
TIMEOUT=${PROMENADE_STACK_TIMEOUT:-30}
PG_PORT=${PROMENADE_PG_PORT:-54329}
PROMETHEUS_PORT=${PROMENADE_PROMETHEUS_PORT:-19090}
VICTORIA_PORT=${PROMENADE_VICTORIA_PORT:-18428}
PUSHGATEWAY_PORT=${PROMENADE_PUSHGATEWAY_PORT:-19091}
NGINX_PORT=${PROMENADE_NGINX_PORT:-18080}
REDIS_PORT=${PROMENADE_REDIS_PORT:-16379}
PG_BINDIR=${PROMENADE_PG_BINDIR:-/usr/lib/postgresql/15/bin}
MARIADB_PORT=${PROMENADE_MARIADB_PORT:-33069}
readonly DAEMONS=(postgres prometheus victoria pushgateway nginx redis mariadb)

die() {
  echo "stack: $*" >&2
  exit 1
}

need() {
  command -v "$1" >/dev/null 2>&1 || die "\"$1\" not found (Debian package $2); run scripts/stack/install.sh"
}

daemon_dir() { echo "$STACK_DIR/$1"; }
pid_file() { echo "$STACK_DIR/$1/pid"; }
# The URL recorded at start, which knows the port that start was given.
recorded_url() { cat "$STACK_DIR/$1/url" 2>/dev/null || url_of "$1"; }

# The program a recorded pid must still run, so that a recycled pid is never signalled.
program_of() {
  case $1 in
  postgres) echo postgres ;;
  prometheus) echo prometheus ;;
  victoria) echo victoria-metrics ;;
  pushgateway) echo prometheus-pushgateway ;;
  nginx) echo nginx ;;
  redis) echo redis-server ;;
  mariadb) echo mariadbd ;;
  esac
}

url_of() {
  case $1 in
  postgres) echo "postgresql://promenade:promenade@127.0.0.1:$PG_PORT/promenade_test" ;;
  prometheus) echo "http://127.0.0.1:$PROMETHEUS_PORT" ;;
  victoria) echo "http://127.0.0.1:$VICTORIA_PORT" ;;
  pushgateway) echo "http://127.0.0.1:$PUSHGATEWAY_PORT" ;;
  nginx) echo "http://127.0.0.1:$NGINX_PORT" ;;
  redis) echo "redis://127.0.0.1:$REDIS_PORT" ;;
  mariadb) echo "mysql://promenade:promenade@127.0.0.1:$MARIADB_PORT/promenade_test" ;;
  esac
}

# A pid is alive while it exists and is not a zombie waiting for its new parent to reap it.
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# Prints the recorded pid if it still runs the daemon's program; nothing otherwise.
running_pid() {
  local file pid cmd
  file=$(pid_file "$1")
  [[ -f $file ]] || return 0
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" || return 0
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
  [[ $cmd == *"$(program_of "$1")"* ]] && echo "$pid"
  return 0
}

# wait_until DESCRIPTION PID COMMAND...: runs COMMAND until it succeeds, the pid dies, or time is up.
wait_until() {
  local what=$1 pid=$2 deadline=$((SECONDS + TIMEOUT))
  shift 2
  until "$@" >/dev/null 2>&1; do
    alive "$pid" || return 1
    ((SECONDS < deadline)) || die "$what not ready after ${TIMEOUT}s"
    sleep 0.2
  done
}

http_ok() { curl -fsS --max-time 2 -o /dev/null "$1"; }
http_any() { curl -sS --max-time 2 -o /dev/null "$1"; }

fail_start() {
  local daemon=$1
  rm -f "$(pid_file "$daemon")"
  echo "stack: $daemon exited during start; last lines of $(daemon_dir "$daemon")/log:" >&2
  tail -n 20 "$(daemon_dir "$daemon")/log" >&2 || true
  exit 1
}

# launch DAEMON COMMAND...: runs COMMAND in the background with its output in the daemon's log.
# `exec` in the background subshell keeps $! equal to the daemon's own pid.
launch() {
  local daemon=$1 dir
  shift
  dir=$(daemon_dir "$daemon")
  (cd "$dir" && exec "$@" </dev/null >>"$dir/log" 2>&1) &
  echo $! >"$(pid_file "$daemon")"
  echo $!
}

config_path() {
  [[ -f $1 ]] || die "config file not found: $1"
  echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
}

as_postgres() {
  if ((EUID == 0)); then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  local dir data pid
  need psql postgresql
  [[ -x $PG_BINDIR/pg_ctl ]] || die "$PG_BINDIR/pg_ctl not found (Debian package postgresql); run scripts/stack/install.sh or set PROMENADE_PG_BINDIR"
  dir=$(daemon_dir postgres)
  data=$dir/data
  touch "$dir/log"
  ((EUID != 0)) || chown postgres:postgres "$dir" "$dir/log"
  as_postgres test -w "$dir" || die "the postgres user cannot write $dir; set PROMENADE_STACK_DIR to a folder it can reach"
  if [[ ! -f $data/PG_VERSION ]]; then
    as_postgres "$PG_BINDIR/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      --no-sync --no-instructions >>"$dir/log" 2>&1 || fail_start postgres
  fi
  # No unix socket: every client, pg_ctl's own readiness check included, goes through loopback TCP.
  as_postgres "$PG_BINDIR/pg_ctl" start -D "$data" -l "$dir/log" -w -t "$TIMEOUT" \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null || fail_start postgres
  pid=$(head -n 1 "$data/postmaster.pid")
  echo "$pid" >"$(pid_file postgres)"
  wait_until postgres "$pid" pg_isready -q -h 127.0.0.1 -p "$PG_PORT" || fail_start postgres
  create_database
}

create_database() {
  local psql=(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1)
  "${psql[@]}" -d postgres <<'SQL'
SELECT 'CREATE ROLE promenade LOGIN CREATEDB PASSWORD ''promenade'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'promenade') \gexec
SELECT 'CREATE DATABASE promenade_test OWNER promenade'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'promenade_test') \gexec
SQL
}

mariadb_root() { mariadb --no-defaults -h 127.0.0.1 -P "$MARIADB_PORT" -u root "$@"; }

# MariaDB refuses to run as root unless told to; told to, it stays on loopback with a data
# directory, socket and pid file of its own, and --no-defaults keeps the system's my.cnf out.
start_mariadb() {
  local dir data pid user=()
  need mariadbd mariadb-server
  need mariadb-install-db mariadb-server
  need mariadb mariadb-client
  dir=$(daemon_dir mariadb)
  data=$dir/data
  ((EUID != 0)) || user=(--user=root)
  if [[ ! -d $data/mysql ]]; then
    mariadb-install-db --no-defaults --datadir="$data" "${user[@]}" \
      --auth-root-authentication-method=normal --skip-test-db >>"$dir/log" 2>&1 || fail_start mariadb
  fi
  pid=$(launch mariadb mariadbd --no-defaults --datadir="$data" "${user[@]}" --port="$MARIADB_PORT" \
    --bind-address=127.0.0.1 --socket="$dir/socket" --pid-file="$dir/mariadbd.pid" --skip-log-bin)
  wait_until mariadb "$pid" mariadb_root -e 'SELECT 1' || fail_start mariadb
  mariadb_root <<'SQL'
CREATE DATABASE IF NOT EXISTS promenade_test;
CREATE USER IF NOT EXISTS 'promenade'@'127.0.0.1' IDENTIFIED BY 'promenade';
GRANT ALL ON promenade_test.* TO 'promenade'@'127.0.0.1';
SQL
}

start_prometheus() {
  local dir config pid url features=()
  need prometheus prometheus
  dir=$(daemon_dir prometheus)
  url=$(url_of prometheus)
  if [[ -n $1 ]]; then
    config=$(config_path "$1")
  else
    config=$dir/prometheus.yml
    printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' \
      "$PROMETHEUS_PORT" >"$config"
  fi
  [[ -z ${PROMENADE_PROMETHEUS_FEATURES:-} ]] || features=(--enable-feature="$PROMENADE_PROMETHEUS_FEATURES")
  pid=$(launch prometheus prometheus --config.file="$config" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --web.enable-lifecycle \
    --web.console.templates="$dir/consoles" --web.console.libraries="$dir/console_libraries" "${features[@]}")
  wait_until prometheus "$pid" http_ok "$url/-/ready" || fail_start prometheus
}

start_victoria() {
  local dir pid flags
  need victoria-metrics victoria-metrics
  dir=$(daemon_dir victoria)
  flags=(-httpListenAddr="127.0.0.1:$VICTORIA_PORT" -storageDataPath="$dir/data" -retentionPeriod=1d
    -search.latencyOffset=0s -search.disableCache)
  [[ -z $1 ]] || flags+=(-promscrape.config="$(config_path "$1")")
  pid=$(launch victoria victoria-metrics "${flags[@]}")
  wait_until victoria "$pid" http_ok "$(url_of victoria)/health" || fail_start victoria
}

start_pushgateway() {
  local dir pid
  need prometheus-pushgateway prometheus-pushgateway
  dir=$(daemon_dir pushgateway)
  pid=$(launch pushgateway prometheus-pushgateway --web.listen-address="127.0.0.1:$PUSHGATEWAY_PORT" \
    --persistence.file="$dir/metrics.store")
  wait_until pushgateway "$pid" http_ok "$(url_of pushgateway)/-/ready" || fail_start pushgateway
}

write_nginx_conf() {
  local dir=$1 include=$2 user=''
  # Workers run as nobody by default and could not read a password file kept in this folder.
  ((EUID != 0)) || user='user root root;'
  cat >"$dir/nginx.conf" <<EOF
daemon off;
$user
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/log warn;
events { worker_connections 256; }
http {
  access_log $dir/access.log;
  client_body_temp_path $dir/tmp/client_body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  include $include;
}
EOF
}

start_nginx() {
  local dir include pid
  need nginx nginx
  dir=$(daemon_dir nginx)
  mkdir -p "$dir/tmp"
  if [[ -n $1 ]]; then
    include=$(config_path "$1")
  else
    include=$dir/default.conf
    printf 'server {\n  listen 127.0.0.1:%s;\n  location / { return 200 "promenade stack nginx\\n"; }\n}\n' \
      "$NGINX_PORT" >"$include"
  fi
  write_nginx_conf "$dir" "$include"
  # -e: nginx opens its error log before it reads the config, by default in /var/log/nginx.
  nginx -t -q -e "$dir/log" -p "$dir" -c "$dir/nginx.conf" || die "nginx rejected $dir/nginx.conf"
  pid=$(launch nginx nginx -e "$dir/log" -p "$dir" -c "$dir/nginx.conf")
  wait_until nginx "$pid" http_any "$(url_of nginx)/" || fail_start nginx
}

# Redis keeps nothing on disk (no snapshots, no append-only file) and runs in the foreground,
# so the recorded pid is its own; DEBUG (SLEEP, for slow-command tests) only from loopback.
start_redis() {
  local dir pid
  need redis-server redis-server
  need redis-cli redis-tools
  [[ -z $1 ]] || die "redis takes no --config"
  dir=$(daemon_dir redis)
  pid=$(launch redis redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$dir" --save '' \
    --appendonly no --enable-debug-command local)
  wait_until redis "$pid" redis_ping || fail_start redis
}

redis_ping() { [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" PING 2>/dev/null) == PONG ]]; }

start() {
  local daemon=$1 config=$2 pid
  pid=$(running_pid "$daemon")
  if [[ -n $pid ]]; then
    [[ -z $config ]] || die "$daemon already runs (pid $pid) with its first config; stop it first"
    echo "$daemon already running (pid $pid): $(recorded_url "$daemon")"
    return
  fi
  mkdir -p "$(daemon_dir "$daemon")"
  need curl curl
  "start_$daemon" "$config"
  url_of "$daemon" >"$(daemon_dir "$daemon")/url"
  echo "$daemon ready (pid $(<"$(pid_file "$daemon")")): $(url_of "$daemon")"
}

stop() {
  local daemon=$1 pid deadline
  pid=$(running_pid "$daemon")
  if [[ -n $pid ]]; then
    # PostgreSQL: SIGINT is its fast shutdown; SIGTERM would wait for every client to leave.
    if [[ $daemon == postgres ]]; then kill -INT "$pid"; else kill -TERM "$pid"; fi
    deadline=$((SECONDS + TIMEOUT))
    while alive "$pid"; do
      ((SECONDS < deadline)) || die "$daemon (pid $pid) still running ${TIMEOUT}s after the signal"
      sleep 0.1
    done
    echo "$daemon stopped (pid $pid)"
  fi
  rm -f "$(pid_file "$daemon")"
}

status() {
  local daemon=$1 pid
  pid=$(running_pid "$daemon")
  if [[ -n $pid ]]; then
    echo "$daemon running (pid $pid): $(recorded_url "$daemon")"
  else
    echo "$daemon stopped"
  fi
}

check_daemon() {
  local d
  for d in "${DAEMONS[@]}"; do [[ $1 == "$d" ]] && return; done
  die "unknown daemon \"$1\" (one of: ${DAEMONS[*]})"
}

usage() {
  echo "usage: $0 start DAEMON [--config FILE] | stop [DAEMON...] | status [DAEMON...]" >&2
  echo "daemons: ${DAEMONS[*]}" >&2
  exit 2
}

main() {
  local cmd=${1:-} daemon config='' names
  [[ -n $cmd ]] || usage
  shift
  case $cmd in
  start)
    daemon=${1:-}
    [[ -n $daemon ]] || usage
    check_daemon "$daemon"
    shift
    if [[ ${1:-} == --config ]]; then
      config=${2:?--config needs a file}
      shift 2
    fi
    (($# == 0)) || usage
    start "$daemon" "$config"
    ;;
  stop | status)
    names=("$@")
    ((${#names[@]} > 0)) || names=("${DAEMONS[@]}")
    for daemon in "${names[@]}"; do
      check_daemon "$daemon"
      "$cmd" "$daemon"
    done
    ;;
  *) usage ;;
  esac
}

main "$@"
