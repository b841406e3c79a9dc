#!/usr/bin/env bash
# Install the kernel uapi headers of every architecture luogen checks layouts on (luogen.model.arch
# ARCHES): Debian's linux-libc-dev-<arch>-cross packages, each under /usr/<triplet>/include.
# Idempotent: installs only the missing ones; `apt-get update` only when something is missing.
# Measured on Debian 12 (bookworm): 16 packages, ~29 MiB download, ~111 MiB installed.
set -euo pipefail

arches=(amd64 i386 x32 arm64 armhf ppc64el ppc64 powerpc s390x mips mips64el riscv64 sparc64 m68k
        alpha hppa)
missing=()
for arch in "${arches[@]}"; do
    package="linux-libc-dev-${arch}-cross"
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-cross-headers: all ${#arches[@]} packages present"
    exit 0
fi
echo "install-cross-headers: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    "${missing[@]}"
