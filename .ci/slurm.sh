#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the sweep's Slurm test.
#
#   .ci/slurm.sh up     install slurm-wlm and munge when missing, start munged, slurmctld and
#                       slurmd; prints `export SLURM_CONF=...` for clients
#   .ci/slurm.sh down   stop the daemons and remove the cluster's folder
#
# Needs root (packages, daemons). Everything the cluster writes lives under $CJSIM_SLURM_DIR
# (default /tmp/cjsim-slurm); the machine's own /etc/slurm is not touched.
set -euo pipefail

dir="${CJSIM_SLURM_DIR:-/tmp/cjsim-slurm}"
conf="$dir/slurm.conf"

up() {
    if [ "$(id -u)" != 0 ]; then
        echo "slurm.sh: needs root to install and start Slurm" >&2
        exit 3
    fi
    if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
        echo "slurm.sh: installing slurm-wlm and munge" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q slurm-wlm munge >/dev/null 2>&1 ||
            { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q slurm-wlm munge >/dev/null; }
    fi
    # (Without a config file sinfo would spend a minute looking for a controller in DNS.)
    if [ -s "$conf" ] && SLURM_CONF="$conf" sinfo -h -o %t 2>/dev/null | grep -q idle; then
        echo "export SLURM_CONF=$conf"
        return
    fi
    mkdir -p "$dir/state" "$dir/spool"
    # munge: a key, its runtime folder, and the daemon running as user munge.
    if [ ! -s /etc/munge/munge.key ]; then
        mkdir -p /etc/munge
        dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
    chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    if ! pgrep -x munged >/dev/null; then
        runuser -u munge -- /usr/sbin/munged
    fi
    cat >"$conf" <<EOF
ClusterName=cjsim
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
DefMemPerCPU=1000
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=localhost CPUs=2 RealMemory=8000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
    /usr/sbin/slurmctld -f "$conf"
    /usr/sbin/slurmd -f "$conf" -N localhost
    for _ in $(seq 1 100); do
        if SLURM_CONF="$conf" sinfo -h -o %t 2>/dev/null | grep -q idle; then
            echo "export SLURM_CONF=$conf"
            return
        fi
        sleep 0.2
    done
    echo "slurm.sh: the cluster did not come up; see $dir/slurmctld.log and $dir/slurmd.log" >&2
    exit 1
}

down() {
    for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid"; do
        if [ -s "$pidfile" ]; then
            kill "$(cat "$pidfile")" 2>/dev/null || true
        fi
    done
    pkill -x slurmd 2>/dev/null || true
    pkill -x slurmctld 2>/dev/null || true
    # One name per call: pgrep refuses patterns longer than a process name (15 characters).
    local daemons="slurmctld slurmd slurmstepd"
    for _ in $(seq 1 50); do
        local left=0
        for d in $daemons; do pgrep -x "$d" >/dev/null && left=1; done
        [ "$left" = 0 ] && break
        sleep 0.2
    done
    for d in $daemons; do pkill -9 -x "$d" 2>/dev/null || true; done
    rm -rf "$dir"
}

case "${1:-}" in
up) up ;;
down) down ;;
*)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
