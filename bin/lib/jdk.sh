# Sourced by bin/aibroker, bin/test and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm, then `java` on PATH.

aibroker_java_major() { # $1 = path to a java binary; prints its feature version
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}

aibroker_pick_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(aibroker_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 21 ]; then export JAVA_HOME; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(aibroker_java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best=$candidate; best_major=$major; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(aibroker_java_major "$candidate/bin/java")
    [ "${major:-0}" -ge 21 ] && best=$candidate
  fi
  if [ -z "$best" ]; then
    echo "aibroker: no JDK >= 21 found (looked at \$JAVA_HOME, /usr/lib/jvm/*, PATH). Install one, e.g. 'apt-get install temurin-25-jdk', or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME=$best
}

# JVM flags Kafka needs on JDK 23+ (sun.misc.Unsafe memory access, native access).
aibroker_jdk_flags() {
  local major
  major=$(aibroker_java_major "$JAVA_HOME/bin/java")
  if [ "${major:-0}" -ge 23 ]; then echo "--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"; fi
}
