#!/usr/bin/env bash
# Install those of the given Debian packages that are not installed yet: one line says what and
# for what, apt's own output goes to a log that is printed only when something fails. Every
# install script, .ci/run and the e2e harness install through this one helper.
#
# Usage: apt-install.sh PURPOSE PACKAGE...
#
# Another apt or dpkg (unattended-upgrades, a second `make test`) may hold apt's locks: apt-get
# gives up on the package lists lock at once, DPkg::Lock::Timeout or not (it waits for dpkg's lock
# only: with Debian 12's apt 2.6.1, `apt-get -o DPkg::Lock::Timeout=10 update` failed in 0.05 s
# while another process held the lists lock), so every apt-get here is retried every
# LUOGEN_APT_LOCK_RETRY seconds (default 5) for up to LUOGEN_APT_LOCK_WAIT seconds (default 300),
# then the holder of the lock is named.
set -euo pipefail

purpose=$1
shift
wait_limit=${LUOGEN_APT_LOCK_WAIT:-300}
retry_every=${LUOGEN_APT_LOCK_RETRY:-5}

missing=()
for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done
[ ${#missing[@]} -gt 0 ] || exit 0

as_root=(env DEBIAN_FRONTEND=noninteractive)
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || {
        echo "$purpose: needs root to install ${missing[*]}" >&2
        exit 1
    }
    as_root=(sudo "${as_root[@]}")
fi

log=$(mktemp --tmpdir luogen-apt.XXXXXX.log)
attempt=$(mktemp --tmpdir luogen-apt.XXXXXX.try)
trap 'rm -f "$log" "$attempt"' EXIT

# Who has `lock` open: pid and command line of each (from /proc: no psmisc needed).
holders() {
    local fd pid
    for fd in /proc/[0-9]*/fd/*; do
        [ "$(readlink "$fd" 2>/dev/null)" = "$1" ] || continue
        pid=${fd#/proc/}
        pid=${pid%%/*}
        echo "  pid $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
    done | sort -u
}

fail() {
    echo "$purpose: $1; apt's output:" >&2
    sed 's/^/  | /' "$log" >&2
    exit 1
}

# Run apt-get with its output in the log, retrying while another process holds an apt lock.
apt_get() {
    local deadline=$((SECONDS + wait_limit)) lock waited=""
    while ! "${as_root[@]}" apt-get -o DPkg::Lock::Timeout="$wait_limit" "$@" >"$attempt" 2>&1; do
        cat "$attempt" >>"$log"
        lock=$(sed -n 's/^E: Could not get lock \([^ ]*[^ .]\).*/\1/p' "$attempt" | head -n 1)
        [ -n "$lock" ] || fail "apt-get $1 failed"
        if [ $SECONDS -ge $deadline ]; then
            echo "$purpose: $lock still held after ${wait_limit} s by:" >&2
            holders "$lock" >&2
            fail "gave up waiting for $lock"
        fi
        [ -n "$waited" ] || echo "$purpose: waiting up to ${wait_limit} s for $lock"
        waited=yes
        sleep "$retry_every"
    done
    cat "$attempt" >>"$log"
}

echo "$purpose: installing ${missing[*]}"
apt_get update -q
apt_get install -y -q --no-install-recommends "${missing[@]}"
