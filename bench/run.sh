#!/usr/bin/env bash
# The whole performance benchmark (issue 6): builds the bench module and the app it depends on
# (no install), then runs every scenario of `aibroker bench` (raw Kafka baseline, pipeline
# throughput, added latency, cache hits, HTTP overhead, worker capacity, growth, JMH
# microbenchmarks) from the bench module's jar and rewrites the generated part of
# docs/PERFORMANCE.md.
# About 15 minutes on a 2-core machine. Extra arguments go to `aibroker bench` (see --help), e.g.
#   bench/run.sh --scenarios raw,pipeline --duration 10
#   bench/run.sh --jfr                       # flight recordings of the children in target/bench
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. bin/lib/jdk.sh
aibroker_pick_jdk
flags=$(aibroker_jdk_flags)
if [ "${AIBROKER_SKIP_BUILD:-}" != "1" ]; then
  echo "bench: building the bench module and the app..." >&2
  MAVEN_OPTS="$flags" ./mvnw -q -B -ntp -pl bench -am package -DskipTests \
    -Dspotless.check.skip=true >&2
fi
defaults=()
case " $* " in *" --out "*|*" --out="*) ;; *) defaults+=(--out docs/PERFORMANCE.md) ;; esac
case " $* " in *" --work-dir "*|*" --work-dir="*) ;; *) defaults+=(--work-dir target/bench) ;; esac
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" $flags -Xmx1g \
  -cp "bench/target/aibroker-bench.jar:bench/target/lib/*" io.aibroker.bench.BenchMain \
  bench "${defaults[@]}" "$@"
