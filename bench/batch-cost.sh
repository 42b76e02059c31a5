#!/usr/bin/env bash
# The cost of the same requests in real time and through provider batch jobs, from one run
# (issue 18): sends N chat requests (default 10,000) to `chat-default` as INTERACTIVE and the same
# N prompts to `chat-batch` (the simulated provider's batch route) as BATCH, each through
# `aibroker submit --file`, then prints a markdown table from the usage roll-ups: requests, tokens,
# cost at the catalog's prices, cost at standard prices, and what batch saved.
#
# Needs a running aibroker with the default configuration (`bin/aibroker run` in another shell).
# Usage: bench/batch-cost.sh [N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
n=${1:-10000}
run=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rt_tenant="cost-realtime-$run"
batch_tenant="cost-batch-$run"
for spec in "chat-default:$work/realtime.jsonl" "chat-batch:$work/batch.jsonl"; do
  model=${spec%%:*}
  python3 - "$n" "$model" "$run" > "${spec#*:}" <<'PY'
import json, sys
n, model, run = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for i in range(n):
    print(json.dumps({"custom_id": f"line-{i}", "method": "POST", "url": "/v1/chat/completions",
                      "body": {"model": model, "max_tokens": 64, "messages": [
                          {"role": "user", "content": f"Summarise order {i} of run {run} in one line."}]}}))
PY
done
timed() { local start end; start=$(date +%s.%N); "$@" > /dev/null; end=$(date +%s.%N); python3 -c "print(f'{$end-$start:.1f}')"; }
echo "batch-cost: $n requests in real time (tenant $rt_tenant)..." >&2
rt_seconds=$(timed bin/aibroker submit --tenant "$rt_tenant" --file "$work/realtime.jsonl" \
  --out "$work/realtime.out" --concurrency 256 --timeout 10m)
echo "batch-cost: the same $n through provider batch jobs (tenant $batch_tenant)..." >&2
batch_seconds=$(timed bin/aibroker submit --tenant "$batch_tenant" --priority BATCH \
  --file "$work/batch.jsonl" --out "$work/batch.out" --concurrency 2000 --timeout 30m)
sleep 3 # roll-ups are emitted as usage events arrive
bin/aibroker usage --window day --since 2d --format json > "$work/usage.json"
python3 - "$work/usage.json" "$rt_tenant" "$batch_tenant" "$rt_seconds" "$batch_seconds" "$n" <<'PY'
import json, sys
from decimal import Decimal
rows = json.load(open(sys.argv[1]))
def total(tenant):
    mine = [r for r in rows if r["tenantId"] == tenant]
    def s(field): return sum(Decimal(str(r.get(field) or 0)) for r in mine)
    return {"requests": int(s("requests")), "in": int(s("inputTokens")), "out": int(s("outputTokens")),
            "cost": s("cost"), "standard": s("standardCost") or s("cost")}
rt, batch = total(sys.argv[2]), total(sys.argv[3])
print(f"| {sys.argv[6]} requests | requests billed | input tokens | output tokens | cost (USD) | at standard prices (USD) | saved | wall time |")
print("|---|---|---|---|---|---|---|---|")
for name, t, secs in (("real time (`chat-default`, INTERACTIVE)", rt, sys.argv[4]),
                      ("provider batch jobs (`chat-batch`, BATCH)", batch, sys.argv[5])):
    saved = t["standard"] - t["cost"]
    pct = (saved / t["standard"] * 100) if t["standard"] else Decimal(0)
    print(f"| {name} | {t['requests']:,} | {t['in']:,} | {t['out']:,} | {t['cost']:.6f} | {t['standard']:.6f} | {saved:.6f} ({pct:.0f} %) | {secs} s |")
PY
