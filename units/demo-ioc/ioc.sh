#!/usr/bin/env bash
# A stand-in for an EPICS soft IOC, so manage-procs can be tried on any Linux machine without EPICS.
# It behaves like an iocsh console: an "epics> " prompt, a few commands, a heartbeat record that
# changes every DEMO_HEARTBEAT seconds (default 5), and it exits on "exit" or end of input.
set -u

period=${DEMO_HEARTBEAT:-5}
name=${IOCNAME:-demo-ioc}
declare -A value=([demo:heartbeat]=0 [demo:counter]=0 [demo:temperature]=21.5 [demo:setpoint]=20.0)
declare -A type=([demo:heartbeat]=bo [demo:counter]=longin [demo:temperature]=ai [demo:setpoint]=ao)
records=(demo:heartbeat demo:counter demo:temperature demo:setpoint)

trap 'echo; echo "$name: SIGTERM received, shutting down"; exit 0' TERM

prompt() { printf 'epics> '; }

heartbeat() {
    value[demo:heartbeat]=$(( 1 - value[demo:heartbeat] ))
    value[demo:counter]=$(( value[demo:counter] + 1 ))
    # \r overwrites the idle prompt, as the IOC's own log lines would interleave with it.
    printf '\r%s %s: heartbeat %s, counter %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$name" \
        "${value[demo:heartbeat]}" "${value[demo:counter]}"
    prompt
}

known() { [[ -n ${value[$1]+set} ]] || { echo "dbNameToAddr failed for $1"; return 1; }; }

run() {
    local cmd=${1:-}; shift
    case $cmd in
        "") ;;
        help)
            echo "Type 'help <command>' for help on a specific command (not in this demo)."
            echo "Commands: help dbl dbpr dbgf dbpf exit"
            ;;
        dbl)
            local r
            for r in "${records[@]}"; do echo "$r"; done
            ;;
        dbpr)
            [[ $# -ge 1 ]] || { echo "Usage: dbpr \"record name\" [interest level]"; return; }
            known "$1" || return
            printf 'NAME: %-20s RTYP: %-8s VAL: %-8s SEVR: NO_ALARM\n' "$1" "${type[$1]}" "${value[$1]}"
            ;;
        dbgf)
            [[ $# -ge 1 ]] || { echo "Usage: dbgf \"pv name\""; return; }
            known "$1" && printf 'DBF_DOUBLE:         %s\n' "${value[$1]}"
            ;;
        dbpf)
            [[ $# -ge 2 ]] || { echo "Usage: dbpf \"pv name\", \"value\""; return; }
            known "$1" || return
            value[$1]=$2
            printf 'DBF_DOUBLE:         %s\n' "$2"
            ;;
        exit)
            echo "$name: exit requested"
            exit 0
            ;;
        *)
            echo "Command $cmd not found."
            ;;
    esac
}

echo "Starting iocInit"
echo "############################################################################"
echo "## $name: a bash stand-in for an EPICS IOC (pid $$, tty $(tty -s && tty || echo none))"
echo "############################################################################"
echo "iocRun: All initialization complete"
prompt

next=$(( SECONDS + period ))
partial=
while true; do
    remaining=$(( next - SECONDS ))
    if (( remaining <= 0 )); then
        heartbeat
        next=$(( next + period ))
        continue
    fi
    # read -t wakes up for the next heartbeat but answers a typed line at once.
    if IFS= read -r -t "$remaining" chunk; then
        line=$partial$chunk
        partial=
        line=${line//,/ }           # iocsh accepts dbpf "a", "b" as well as dbpf a b
        line=${line//\"/}
        read -r -a words <<< "$line"
        run "${words[@]}"
        prompt
    elif (( $? > 128 )); then       # timed out: keep what was read of an unfinished line
        partial+=$chunk
    else                            # end of input
        echo
        echo "$name: end of input, exiting"
        exit 0
    fi
done
