#!/usr/bin/env bash
# The demo store with a demo hub, for README's shipping walkthrough: the chain's hub
# (SQLite, in the user's data directory) serving on 127.0.0.1 with the demo catalogue and
# the demo warehouse W1, and the counter window syncing to it. The hub stops with the
# window; its database stays, so History keeps following the shipments next time.
#   scripts/demo-with-hub.sh              # the window (as ./run, plus the hub)
#   scripts/demo-with-hub.sh hub ARGS...  # the hub's command line on the same database,
#                                         # e.g. hub shipments list --location W1
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup-env.sh" counter,hub
data="${XDG_DATA_HOME:-$HOME/.local/share}/pos-exchange/demo-hub"
port="${POS_EXCHANGE_DEMO_HUB_PORT:-8765}"
hub=("$root/.venv/bin/pos-exchange-hub" --db "$data/hub.sqlite3")
mkdir -p "$data"
# The first time: the hub's database with the demo catalogue and warehouse, and the
# register's token for this demo hub only, kept beside the database and readable by this
# user alone (a real register keeps its token in the keyring, see README).
if [ ! -s "$data/register-token" ]; then
    "${hub[@]}" db upgrade >/dev/null
    "${hub[@]}" catalogue load-demo --store S001 >&2
    (umask 077 && "${hub[@]}" token create --store S001 --register R01 >"$data/register-token")
fi
if [ "${1:-}" = hub ]; then
    shift
    exec "${hub[@]}" "$@"
fi
"${hub[@]}" serve --host 127.0.0.1 --port "$port" >>"$data/hub.log" 2>&1 &
hub_pid=$!
trap 'kill "$hub_pid" 2>/dev/null || true; wait "$hub_pid" 2>/dev/null || true' EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
    "$root/.venv/bin/python" -c "import sys, urllib.request as u; u.urlopen(sys.argv[1], timeout=1)" \
        "$url/health" 2>/dev/null && break
    kill -0 "$hub_pid" 2>/dev/null || { echo "The demo hub did not start: $data/hub.log" >&2; exit 1; }
    sleep 0.2
done
echo "Demo hub: $url (database $data/hub.sqlite3, log $data/hub.log)" >&2
POS_EXCHANGE_HUB_URL="$url" POS_EXCHANGE_HUB_TOKEN="$(cat "$data/register-token")" \
    "$root/.venv/bin/pos-exchange" --demo "$@"
