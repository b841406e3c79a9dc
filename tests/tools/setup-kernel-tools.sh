#!/usr/bin/env bash
# Extract the kernel's own checkers from Debian's linux-source-6.1 into a folder (default
# .cache/kernel-tools): scripts/kernel-doc, scripts/checkpatch.pl (with the data files it reads)
# and usr/include/headers_check.pl. Installs the package first when it is missing.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
dest=${1:-$top/.cache/kernel-tools}
tarball=/usr/src/linux-source-6.1.tar.xz
members=(
    scripts/kernel-doc
    scripts/checkpatch.pl
    scripts/spelling.txt
    scripts/const_structs.checkpatch
    usr/include/headers_check.pl
)

if [ ! -f "$tarball" ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        linux-source-6.1 xz-utils
fi

stamp="$dest/.stamp"
want="$(stat -c '%s %Y' "$tarball") ${members[*]}"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi

start=$(date +%s%N)
rm -rf "$dest"
mkdir -p "$dest"
tar -xJf "$tarball" -C "$dest" --strip-components=1 "${members[@]/#/linux-source-6.1/}"
echo "$want" > "$stamp"
echo "kernel tools extracted to $dest in $(( ($(date +%s%N) - start) / 1000000 )) ms"
