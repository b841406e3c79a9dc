#!/usr/bin/env bash
# Install the kernel uapi headers of every architecture luogen checks layouts on (luogen.model.arch
# ARCHES): Debian's linux-libc-dev-<arch>-cross packages, each under /usr/<triplet>/include; and
# the GCC cross compilers of the architectures libclang cannot read as the kernel's compiler does
# (luogen.verify.clang STAND_INS: m68k, alpha, hppa), which `luogen layout` then also checks with.
# Idempotent: apt-install.sh installs only the missing ones, quietly.
# Measured on Debian 12 (bookworm): 16 header packages, ~29 MiB download, ~111 MiB installed; the
# three compilers (with their binutils) about 8 s more.
set -euo pipefail

arches=(amd64 i386 x32 arm64 armhf ppc64el ppc64 powerpc s390x mips mips64el riscv64 sparc64 m68k
        alpha hppa)
packages=()
for arch in "${arches[@]}"; do
    packages+=("linux-libc-dev-${arch}-cross")
done
packages+=(gcc-m68k-linux-gnu gcc-alpha-linux-gnu gcc-hppa-linux-gnu)
# The C library's headers of every architecture (alpha's is libc6.1): uapi headers that include
# <sys/time.h> or <endian.h> (linux/input.h, linux/videodev2.h) compile only with them, and the
# round trip of imported headers (luogen/verify/roundtrip.py) compiles each on all 16. Measured:
# 27 packages (with their shared libraries), ~32 MiB download, ~11 s to install.
for arch in "${arches[@]}"; do
    [ "$arch" = alpha ] && packages+=(libc6.1-dev-alpha-cross) || packages+=("libc6-dev-${arch}-cross")
done
bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" "cross-architecture headers and compilers" \
    "${packages[@]}"
