# Sourced by the CI scripts and scripts/quickstart, not run.
#
# start_signet_server BINARY DATA LOG [ARGS...]
#   Starts `BINARY server --data DATA ARGS...` in the background with its standard error in
#   LOG (emptied first) and sets SIGNET_SERVER_PID at once, so the caller's EXIT trap can stop
#   it. With `--listen HOST:0` among ARGS the kernel picks the port; either way the server
#   announces on standard error `signet server listening on HOST:PORT at URL (data: DIR)`.
#   This waits for that line, then for GET URL/readyz to succeed, and sets SIGNET_PORT (the
#   bound port) and SIGNET_URL (the public URL announced). Both waits share one deadline, 60
#   seconds from the start. If the server exits, never announces or never becomes ready, it
#   prints LOG and the reason on standard error, stops the server, and returns 1.
start_signet_server() {
    local binary=$1 data=$2 log=$3
    shift 3
    local timeout=60 line
    local deadline=$((SECONDS + timeout))
    local announcement='^signet server listening on ([^ ]+):([0-9]+) at ([^ ]+) \(data: .*\)$'
    SIGNET_PORT= SIGNET_URL=
    : >"$log"
    "$binary" server --data "$data" "$@" 2>"$log" &
    SIGNET_SERVER_PID=$!
    while [ -z "$SIGNET_URL" ]; do
        # `read` hands the loop complete lines only: a line still being written is not parsed.
        while IFS= read -r line; do
            if [[ $line =~ $announcement ]]; then
                SIGNET_PORT=${BASH_REMATCH[2]} SIGNET_URL=${BASH_REMATCH[3]}
                break
            fi
        done <"$log"
        [ -n "$SIGNET_URL" ] && break
        _signet_server_alive_before "$deadline" "$log" "did not announce its port within $timeout seconds" || return 1
        sleep 0.1
    done
    until curl -sf --max-time 2 "$SIGNET_URL/readyz" >/dev/null 2>&1; do
        _signet_server_alive_before "$deadline" "$log" "announced $SIGNET_URL but $SIGNET_URL/readyz did not succeed within $timeout seconds" || return 1
        sleep 0.1
    done
}

# _signet_server_alive_before DEADLINE LOG REASON: succeeds while the server that
# start_signet_server started runs and DEADLINE (a value of $SECONDS) has not passed.
# Otherwise prints LOG and why (REASON if the deadline passed), stops and reaps the server,
# clears SIGNET_SERVER_PID and fails.
_signet_server_alive_before() {
    local deadline=$1 log=$2 reason=$3 status=0
    if ! kill -0 "$SIGNET_SERVER_PID" 2>/dev/null; then
        wait "$SIGNET_SERVER_PID" 2>/dev/null || status=$?
        reason="exited with status $status before it was ready"
    elif [ "$SECONDS" -lt "$deadline" ]; then
        return 0
    else
        kill "$SIGNET_SERVER_PID" 2>/dev/null || true
        wait "$SIGNET_SERVER_PID" 2>/dev/null || true
    fi
    SIGNET_SERVER_PID=
    {
        echo "---- $log"
        cat "$log"
        echo "----"
        echo "${0##*/}: signet server $reason (its log is above)"
    } >&2
    return 1
}
