#!/usr/bin/env bash
# Run a command against a throwaway OpenSearch node, then stop it and delete its data.
#
#   scripts/with-opensearch.sh CMD [ARGS...]
#
# The server is the real OpenSearch (3.8, with its modules: analysis-common for the French
# analysis), fetched from Maven Central by scripts/opensearch/pom.xml into .cache/m2 (kept between
# runs) and started in one JVM by scripts/opensearch/CarnetOpenSearch.java on a free port of
# 127.0.0.1. CMD runs with CARNET_SEARCH_BACKEND=opensearch3 and CARNET_SEARCH_URL set, and with
# CARNET_OPENSEARCH_JAVA and CARNET_OPENSEARCH_CLASSPATH, with which tests start clusters of their
# own (tests/search/opensearch.py).
#
# Needs Maven and Java 21+: $OPENSEARCH_JAVA_HOME if set, else the newest JDK of /usr/lib/jvm that
# is recent enough, else java on PATH. If Maven is missing and we are root on Debian/Ubuntu,
# `apt-get install maven`. OPENSEARCH_HEAP (default 1g) sizes the JVM.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 64
fi

log() { echo "with-opensearch: $*" >&2; }
die() {
    log "error: $*"
    exit 1
}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
POM=$ROOT/scripts/opensearch/pom.xml
LAUNCHER=$ROOT/scripts/opensearch/CarnetOpenSearch.java
CACHE=$ROOT/.cache
CLASSPATH_FILE=$CACHE/opensearch-classpath.txt

java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }

find_java() {
    local candidate
    if [[ -n ${OPENSEARCH_JAVA_HOME:-} ]]; then
        echo "$OPENSEARCH_JAVA_HOME/bin/java"
        return
    fi
    for candidate in $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -V -r) java; do
        if command -v "$candidate" >/dev/null && (($(java_major "$candidate") >= 21)); then
            command -v "$candidate"
            return
        fi
    done
    return 1
}

JAVA=$(find_java) || die "OpenSearch 3 needs Java 21 or newer: install one (Debian: apt-get \
install openjdk-21-jdk-headless) or set OPENSEARCH_JAVA_HOME"

if ! command -v mvn >/dev/null; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        log "Maven not found: installing Debian's maven package"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q >&2
        apt-get install -y -q --no-install-recommends maven >&2
    else
        die "Maven (mvn) not found: install it (Debian: apt-get install maven)"
    fi
fi

# The server's class path: resolved (and downloaded once) by Maven when the pom changed.
mkdir -p "$CACHE"
if [[ ! -s $CLASSPATH_FILE || $POM -nt $CLASSPATH_FILE ]]; then
    log "resolving OpenSearch with Maven into $CACHE/m2"
    mvn -B -q -f "$POM" -Dmaven.repo.local="$CACHE/m2" dependency:build-classpath \
        -Dmdep.outputFile="$CLASSPATH_FILE.tmp" >&2 || die "Maven could not fetch OpenSearch"
    mv "$CLASSPATH_FILE.tmp" "$CLASSPATH_FILE"
fi

WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/carnet-opensearch.XXXXXX")
SERVER_PID=

cleanup() {
    local status=$?
    trap - EXIT INT TERM HUP
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        # The JVM closes the node and deletes its data; kill it if that hangs.
        for _ in $(seq 60); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK_DIR"
    log "OpenSearch stopped"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

export CARNET_OPENSEARCH_JAVA=$JAVA CARNET_OPENSEARCH_CLASSPATH=$CLASSPATH_FILE
"$JAVA" -Xms"${OPENSEARCH_HEAP:-1g}" -Xmx"${OPENSEARCH_HEAP:-1g}" --enable-native-access=ALL-UNNAMED \
    -cp "$(cat "$CLASSPATH_FILE")" "$LAUNCHER" 1 >"$WORK_DIR/out" 2>"$WORK_DIR/server.log" &
SERVER_PID=$!

for _ in $(seq 240); do
    grep -qx ready "$WORK_DIR/out" && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        tail -n 40 "$WORK_DIR/server.log" >&2
        die "OpenSearch did not start"
    fi
    sleep 0.5
done
grep -qx ready "$WORK_DIR/out" || {
    tail -n 40 "$WORK_DIR/server.log" >&2
    die "OpenSearch was not ready after 120 s"
}

export CARNET_SEARCH_BACKEND=opensearch3
CARNET_SEARCH_URL=$(awk '$1 == "url" {print $2}' "$WORK_DIR/out" | paste -sd,)
export CARNET_SEARCH_URL
log "OpenSearch $(awk '$1 == "version" {print $2}' "$WORK_DIR/out") running, CARNET_SEARCH_URL=$CARNET_SEARCH_URL (log: $WORK_DIR/server.log)"

set +e
"$@"
status=$?
set -e
exit "$status"
