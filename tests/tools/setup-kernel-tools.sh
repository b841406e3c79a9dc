#!/usr/bin/env bash
# Extract the Linux 6.1 checkers (kernel-doc, checkpatch.pl, headers_check.pl),
# the Sphinx extension that runs kernel-doc for the docs build (kerneldoc.py and
# the kernellog.py it imports) and an installed-layout uapi include tree from
# Debian's linux-source-6.1.
#
# Usage: setup-kernel-tools.sh [DEST]   (default: <repo>/.cache/kernel-tools)
# Idempotent: a stamp keyed on the tarball's size+mtime and on this member list
# makes reruns instant.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dest=${1:-$repo/.cache/kernel-tools}
tarball=/usr/src/linux-source-6.1.tar.xz
top=linux-source-6.1
# headers_check.pl only needs an arch name for its asm-<arch> fallback; the
# uapi headers we check are arch-independent, so x86 is fixed for determinism.
arch=x86

members=(
    scripts/kernel-doc
    scripts/checkpatch.pl
    scripts/spelling.txt                    # checkpatch: typo list
    scripts/const_structs.checkpatch        # checkpatch: CONST_STRUCT list
    Documentation/dev-tools/checkpatch.rst  # checkpatch --verbose explanations
    usr/include/headers_check.pl
    Documentation/sphinx/kerneldoc.py       # the kernel-doc directive
    Documentation/sphinx/kernellog.py       # kerneldoc.py: its logging helpers
    include/uapi                            # headers_check: what <linux/...> may include
    "arch/$arch/include/uapi"
)

need=()
[[ -f $tarball ]] || need+=(linux-source-6.1)
# checkpatch needs Term::ANSIColor and kernel-doc Pod::Usage: Debian's "perl",
# not just "perl-base".
perl -MTerm::ANSIColor -MPod::Usage -MEncode -e1 2>/dev/null || need+=(perl)
command -v xz >/dev/null || need+=(xz-utils)
if ((${#need[@]})); then
    bash "$repo/tests/tools/apt-install.sh" "the kernel's checkers" "${need[@]}"
fi

# Bump "layout" when what is done with the members below changes.
stamp_value="$(stat -c '%s %Y' "$tarball") layout=1 ${members[*]}"
stamp=$dest/.stamp
if [[ -f $stamp && $(<"$stamp") == "$stamp_value" ]]; then
    echo "kernel tools up to date in $dest"
    exit 0
fi

rm -rf "$dest"
mkdir -p "$dest"
start=$(date +%s%N)
# xz is not seekable: even a few members cost one full decompression pass of the
# 1.3 GB tar. The tarball has 55 xz blocks, so threaded xz halves it on 2 cores
# (about 4 s instead of 7 s with plain -J, on an idle machine).
tar -x -I 'xz -T0' -f "$tarball" -C "$dest" --strip-components=1 "${members[@]/#/$top/}"
ms=$((($(date +%s%N) - start) / 1000000))

# Mimic `make headers_install` for what headers_check.pl resolves: one tree with
# linux/, asm-generic/ and asm/, where asm/ holds the arch headers plus the
# asm-generic wrappers that Kbuild generates for mandatory-y headers.
inc=$dest/uapi-include
mv "$dest/include/uapi" "$inc"
cp -r "$dest/arch/$arch/include/uapi/." "$inc"
rm -rf "$dest/include" "$dest/arch"
for h in $(sed -n 's/^mandatory-y += //p' "$inc/asm-generic/Kbuild"); do
    [[ -e $inc/asm/$h ]] || echo "#include <asm-generic/$h>" >"$inc/asm/$h"
done

echo "$stamp_value" >"$stamp"
echo "kernel tools extracted to $dest in $ms ms"
