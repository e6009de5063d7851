# Shared shell helpers for scripts/run, scripts/test and scripts/bench.
# Everything these start lives under one directory (.run/ by default), on loopback, with its
# own ports: nothing system-wide is touched, and th_stop_all stops what was started.

TH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TH_PG_BIN="${TH_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"

# Demo credentials for config/example.yaml (its pixel is in dry_run: nothing reaches Meta), the one
# list scripts/run writes to .run/env and the other scripts (docs-check, fuzz, bench) export.
TH_DEMO_ENV=(TRACKHUB_DEMO_PIXEL_TOKEN=demo-token-not-real TRACKHUB_DEMO_HOTMART_SECRET=demo-hottok
             TRACKHUB_DEMO_KIWIFY_SECRET=demo-kiwify-token TRACKHUB_DEMO_EDUZZ_SECRET=demo-eduzz-key
             TRACKHUB_DEMO_MONETIZZE_SECRET=demo-monetizze-key TRACKHUB_DEMO_MERCADOPAGO_SECRET=demo-mercadopago-secret
             TRACKHUB_DEMO_STRIPE_SECRET=whsec_demo TRACKHUB_DEMO_TELEGRAM_SECRET=demo-telegram-secret)

th_log() { printf '\033[1m[trackhub]\033[0m %s\n' "$*" >&2; }

# Installs the Debian packages that are missing (redis, postgres, the three -dev libraries…).
th_install_deps() {
    local need=() pkg
    for pkg in redis-server redis-tools postgresql libhiredis-dev libpq-dev libcurl4-openssl-dev pkg-config curl python3 "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
    done
    if [ ${#need[@]} -gt 0 ]; then
        th_log "installing: ${need[*]}"
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    fi
    TH_PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
}

# Runs a command as the owner of the Postgres data dir (postgres refuses to run as root).
th_as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# th_redis_start DIR PORT [FSYNC]: a Redis with AOF (appendfsync FSYNC, default always), a memory
# cap (TRACKHUB_REDIS_MAXMEMORY, default 1gb) and noeviction: full, it refuses writes (ingestd then
# spools or answers 503) instead of dropping acknowledged entries.
th_redis_start() {
    local dir="$1" port="$2" fsync="${3:-always}"
    mkdir -p "$dir"
    cat > "$dir/redis.conf" <<CONF
bind 127.0.0.1
port $port
dir $dir
daemonize yes
pidfile $dir/redis.pid
logfile $dir/redis.log
appendonly yes
appendfsync $fsync
maxmemory ${TRACKHUB_REDIS_MAXMEMORY:-1gb}
maxmemory-policy noeviction
save ""
protected-mode yes
CONF
    redis-server "$dir/redis.conf"
    local i
    for i in $(seq 1 100); do
        redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    th_log "redis did not start; see $dir/redis.log"; return 1
}

th_redis_stop() {
    local dir="$1" port="$2"
    redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
    local i
    for i in $(seq 1 50); do
        [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null || return 0
        sleep 0.1
    done
}

# th_pg_reachable DIR: as root the cluster runs as `postgres`, which must be able to traverse every
# directory above DIR. A checkout under a private directory (`mktemp -d` makes them 0700) is not:
# such ancestors get search permission for others (o+x: enter, not list), and the change is logged.
th_pg_reachable() {
    local path prefix="" part parts
    path="$(cd "$1" && pwd)"
    IFS=/ read -ra parts <<< "$(dirname "$path")"
    # From the root down, so a fixed ancestor makes the ones below it reachable again.
    for part in "${parts[@]}"; do
        [ -n "$part" ] || continue
        prefix="$prefix/$part"
        if ! runuser -u postgres -- test -x "$prefix"; then
            chmod o+x "$prefix" && th_log "gave others search permission (o+x) on $prefix so postgres can reach its data directory"
        fi
    done
}

# th_pg_start DIR PORT: a private Postgres cluster (trust auth on loopback, user/db trackhub).
# TH_PG_OPTS: extra server options (e.g. "-c shared_preload_libraries=pg_stat_statements").
th_pg_start() {
    local dir="$1" port="$2"
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres "$dir"
        th_pg_reachable "$dir"
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        th_as_pg "$TH_PG_BIN/initdb" -D "$dir/data" -U trackhub --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
            || { th_log "initdb failed; see $dir/initdb.log"; return 1; }
    fi
    th_as_pg "$TH_PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 start \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200 ${TH_PG_OPTS:-}" >/dev/null \
        || { th_log "postgres did not start; see $dir/postgres.log"; return 1; }
    th_as_pg "$TH_PG_BIN/psql" -h 127.0.0.1 -p "$port" -U trackhub -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname='trackhub'" | grep -q 1 \
        || th_as_pg "$TH_PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U trackhub trackhub
}

th_pg_stop() {
    local dir="$1" mode="${2:-fast}"
    [ -f "$dir/data/postmaster.pid" ] && th_as_pg "$TH_PG_BIN/pg_ctl" -D "$dir/data" -m "$mode" -w stop >/dev/null 2>&1 || true
}

# A master key ring for sealing secrets and personal data (one key, id k1).
th_master_key() {
    local file="$1"
    if [ ! -s "$file" ]; then
        mkdir -p "$(dirname "$file")"
        ( umask 077; printf 'k1:%s\n' "$(head -c 32 /dev/urandom | base64 -w0)" > "$file" )
    fi
}

# Waits until a URL answers 2xx (or the timeout in seconds passes).
th_wait_http() {
    local url="$1" timeout="${2:-60}" i
    for i in $(seq 1 $((timeout * 10))); do
        curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
