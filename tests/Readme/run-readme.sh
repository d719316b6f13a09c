#!/usr/bin/env bash
# Runs every runnable shell block of README.md, in order and in one shell (so variables such as $API and $TOKEN carry
# from one block to the next), against a freshly started demo server, and fails when any block fails.
#   - A block is runnable when its fence is ```sh. A block right after the line "<!-- readme-test: skip: <reason> -->"
#     is shown to readers but not run (it starts the server this script starts, or runs the test suite itself).
#   - curl fails on any 4xx or 5xx answer here ($CURL_HOME/.curlrc: --fail-with-body), so a block that gets a problem
#     answer fails even though its output is shown; http://127.0.0.1:5080 is replaced by the address of the server
#     started here, which listens on a free port.
#   - Each block runs with the repository's docs/ and tests/ beside it, so `docs/examples/...` and the providers'
#     sample payloads in `tests/samples/providers/...` work; files a block writes go to a temporary folder.
# Usage: tests/Readme/run-readme.sh [path/to/OkrKpi.Api.dll]   (without one, the API is built in Release first)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
readme="$root/README.md"
api_dll=${1:-}
if [ -z "$api_dll" ]; then
  dotnet build "$root/api/Api.csproj" -c Release -v q --nologo >/dev/null || exit 1
  api_dll="$root/api/bin/Release/net10.0/OkrKpi.Api.dll"
fi

work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A free port: one nothing answers on.
for _ in $(seq 1 50); do
  port=$((20000 + RANDOM % 40000))
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
done
address="http://127.0.0.1:$port"

ASPNETCORE_ENVIRONMENT=Production dotnet "$api_dll" --urls "$address" --Database:Provider=sqlite \
  "--ConnectionStrings:OkrKpi=Data Source=$work/okrkpi.db" --Demo:Enabled=true >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do
  curl -s -o /dev/null -w '%{http_code}' "$address/health/ready" 2>/dev/null | grep -q 200 && break
  kill -0 "$server" 2>/dev/null || { echo "The demo server stopped:"; cat "$work/server.log"; exit 1; }
  sleep 0.2
done
curl -s -o /dev/null -w '%{http_code}' "$address/health/ready" | grep -q 200 || { echo "The demo server did not get ready:"; cat "$work/server.log"; exit 1; }

# The blocks, each in a file of its own, numbered in README order.
mkdir -p "$work/blocks" "$work/run"
awk -v dir="$work/blocks" '
  /^<!-- readme-test: skip/ { skip = 1; next }
  /^```sh[[:space:]]*$/ && !inside { inside = 1; n++; runnable = !skip; skip = 0; start = NR
    file = sprintf("%s/%03d-%s-line%d.sh", dir, n, runnable ? "run" : "skip", NR); next }
  /^```/ && inside { inside = 0; close(file); next }
  inside { print > file; next }
  NF { skip = skip && /^[[:space:]]*$/ }
' "$readme"

ln -s "$root/docs" "$work/run/docs"
ln -s "$root/tests" "$work/run/tests"
printf -- '--fail-with-body\n--show-error\n' >"$work/.curlrc"
export CURL_HOME="$work"

run=0
skipped=0
for block in "$work"/blocks/*.sh; do
  name=$(basename "$block" .sh)
  if [[ "$name" == *-skip-* ]]; then skipped=$((skipped + 1)); continue; fi
  run=$((run + 1))
  sed -i "s#http://127.0.0.1:5080#$address#g" "$block"
done

# One shell for all blocks, stopping at the first failing command and naming its block.
{
  echo 'set -eo pipefail'
  echo 'cd "$1"'
  for block in "$work"/blocks/*-run-*.sh; do
    line=${block##*-line}; line=${line%.sh}
    echo "echo; echo \"=== README block at line $line\""
    echo "trap 'echo \"README block at line $line failed\" >&2' ERR"
    echo "source '$block'"
  done
  echo 'echo'
} >"$work/all.sh"

if bash "$work/all.sh" "$work/run"; then
  echo "README: $run runnable blocks passed against a fresh demo server ($skipped shown but not run)."
else
  echo "README: a block failed (see above); the server's log follows." >&2
  tail -n 40 "$work/server.log" >&2
  exit 1
fi
