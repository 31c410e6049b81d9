#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (used by ./test).
#
#   scripts/test-postgres.sh start   install PostgreSQL if needed (Debian, as root), create a
#                                    cluster in a temp dir, start it on 127.0.0.1:<free port>,
#                                    create database pos_hub_test and print its URL on stdout
#   scripts/test-postgres.sh url     print the URL of the running cluster
#   scripts/test-postgres.sh stop    stop the cluster and remove its directory
#
# `start` is idempotent: a cluster that is already running is reused. PostgreSQL refuses to
# run as root, so as root the cluster belongs to the `postgres` user (or to an unprivileged
# `pos-test-pg` user if there is none); otherwise to the current user.
# Progress and errors go to stderr; stdout carries only the URL.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${POS_EXCHANGE_TEST_PG_STATE:-$root/.venv/test-postgres.state}"
database=pos_hub_test
wait_s=30

say() { echo "test-postgres: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

find_bindir() {
    local dir
    if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
        dir="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
        [ -x "$dir/postgres" ] && [ -x "$dir/initdb" ] && { echo "$dir"; return; }
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V -r); do
        [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ] &&
            { echo "$dir"; return; }
    done
    return 1
}

install_postgres() {
    [ "$(id -u)" -eq 0 ] || die "PostgreSQL is not installed and installing it needs root: " \
        "install the Debian package 'postgresql' (or set POS_EXCHANGE_TEST_PG_URL to a server" \
        "you own, or POS_EXCHANGE_TEST_NO_PG=1 to skip the PostgreSQL runs)."
    command -v apt-get >/dev/null || die "PostgreSQL is not installed and apt-get is missing."
    local log started
    log="$(mktemp /tmp/test-postgres-apt.XXXXXX.log)"
    started=$SECONDS
    say "installing the Debian package postgresql (log: $log)..."
    if ! { apt-get update -q &&
           DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
               postgresql; } </dev/null >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        die "installing PostgreSQL failed; the full log is $log"
    fi
    say "installed PostgreSQL in $((SECONDS - started)) s"
}

# The user the server runs as, and how to run a command as that user.
pick_user() {
    if [ "$(id -u)" -ne 0 ]; then
        pg_user="$(id -un)"
        as_user() { "$@"; }
        return
    fi
    pg_user=postgres
    if ! id "$pg_user" >/dev/null 2>&1; then
        pg_user=pos-test-pg
        id "$pg_user" >/dev/null 2>&1 ||
            useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user" ||
            die "could not create the unprivileged user $pg_user"
    fi
    if command -v runuser >/dev/null; then
        as_user() { runuser -u "$pg_user" -- "$@"; }
    else
        as_user() { su -s /bin/sh "$pg_user" -c "$(printf '%q ' "$@")"; }
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); \
print(s.getsockname()[1])'
}

read_state() {
    [ -f "$state" ] || return 1
    # shellcheck disable=SC1090
    . "$state"
    [ -n "${pg_dir:-}" ] && [ -n "${pg_port:-}" ] && [ -n "${pg_bindir:-}" ]
}

url() { echo "postgresql+psycopg://pos@127.0.0.1:$pg_port/$database"; }

is_ready() { "$pg_bindir/pg_isready" -q -h 127.0.0.1 -p "$pg_port" -U pos -d postgres; }

cmd_stop() {
    read_state || { rm -f "$state"; return 0; }
    pick_user
    if [ -f "$pg_dir/data/postmaster.pid" ]; then
        as_user "$pg_bindir/pg_ctl" stop -D "$pg_dir/data" -m fast -w -t "$wait_s" >/dev/null ||
            say "pg_ctl stop failed (the log was $pg_dir/server.log)"
    fi
    rm -rf -- "$pg_dir"
    rm -f "$state"
    say "stopped the cluster on port $pg_port"
}

cmd_start() {
    if read_state && is_ready 2>/dev/null; then
        say "reusing the running cluster on port $pg_port"
        url
        return
    fi
    cmd_stop 2>/dev/null || true          # a stale cluster of an earlier, interrupted run
    pg_bindir="$(find_bindir)" || { install_postgres; pg_bindir="$(find_bindir)"; } ||
        die "no initdb/pg_ctl/postgres found even after installing PostgreSQL"
    pick_user
    local started=$SECONDS
    pg_dir="$(mktemp -d /tmp/pos-test-pg.XXXXXX)"
    chown "$pg_user" "$pg_dir"
    chmod 700 "$pg_dir"
    pg_port="$(free_port)"
    mkdir -p "$(dirname "$state")"
    printf 'pg_dir=%q\npg_port=%q\npg_bindir=%q\n' "$pg_dir" "$pg_port" "$pg_bindir" >"$state"
    if ! as_user "$pg_bindir/initdb" -D "$pg_dir/data" -A trust -U pos -E UTF8 \
            --locale=C.UTF-8 --no-sync >"$pg_dir/initdb.log" 2>&1; then
        tail -n 20 "$pg_dir/initdb.log" >&2
        die "initdb failed (as $pg_user, in $pg_dir)"
    fi
    # A throwaway cluster: durability settings off, for speed.
    if ! as_user "$pg_bindir/pg_ctl" start -D "$pg_dir/data" -l "$pg_dir/server.log" \
            -w -t "$wait_s" -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null 2>&1; then
        tail -n 20 "$pg_dir/server.log" >&2 || true
        die "PostgreSQL did not start within $wait_s s (log: $pg_dir/server.log)"
    fi
    local deadline=$((SECONDS + wait_s))
    until is_ready; do
        [ "$SECONDS" -lt "$deadline" ] || die "pg_isready still fails after $wait_s s"
        sleep 0.2
    done
    "$pg_bindir/psql" -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U pos -d postgres \
        -c "CREATE DATABASE $database" >/dev/null || die "could not create database $database"
    say "PostgreSQL $("$pg_bindir/postgres" --version | awk '{print $3}') on port $pg_port" \
        "as $pg_user, ready in $((SECONDS - started)) s"
    url
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) read_state && is_ready || die "no test cluster is running"; url ;;
    *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
