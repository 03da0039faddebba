#!/usr/bin/env bash
# The demo: builds the daemon and the bundled plugins (nothing else), starts a local chain (ganache, on 127.0.0.1 with a
# free port, chain kept in build/demo/chain), sends a few transactions and
# drops their hashes into tx_watch's inbox, then runs the daemon in the
# foreground with the bundled plugins until Ctrl-C (SIGINT) or SIGTERM.
# Extra arguments are passed to `jobhost run`, e.g. --log-level debug.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)" --target jobhost hello tx_watch chain_height

demo=build/demo
mkdir -p "$demo/chain" "$demo/state/plugins/tx_watch/inbox"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
       echo 18545)
tests/e2e/node_modules/.bin/ganache --host 127.0.0.1 --port "$port" --wallet.deterministic \
  --miner.blockTime 5 --database.dbPath "$demo/chain" --logging.quiet >"$demo/ganache.log" 2>&1 &
ganache=$!
trap 'kill "$ganache" 2>/dev/null; wait "$ganache" 2>/dev/null || true' EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 1 60); do
  node tests/e2e/send-transactions.js "$url" 3 >"$demo/state/plugins/tx_watch/inbox/demo.txt.tmp" 2>/dev/null && break
  sleep 0.5
done
mv "$demo/state/plugins/tx_watch/inbox/demo.txt.tmp" "$demo/state/plugins/tx_watch/inbox/demo.txt"
echo "ganache on $url (pid $ganache); 3 transactions are waiting in $demo/state/plugins/tx_watch/inbox"
echo "confirmed transactions will be appended to $demo/state/plugins/tx_watch/confirmed.jsonl"

build/default/jobhost run \
  --plugin-dir build/default/plugins \
  --state-dir "$demo/state" \
  --chain "main=$url" \
  --schedule 'tx_watch.confirm=*/5 * * * * *' \
  --schedule 'chain_height.watch=*/5 * * * * *' \
  "$@" &
jobhost=$!
trap 'kill -TERM "$jobhost" 2>/dev/null' INT TERM
wait "$jobhost" || true
wait "$jobhost" 2>/dev/null
