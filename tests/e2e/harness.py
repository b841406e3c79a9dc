#!/usr/bin/env python3
"""Real-kernel end-to-end harness: boot Debian's kernel under qemu with our modules and tests.

Chain: ensure_packages() -> build_modules() -> build_programs() -> make_initramfs() -> boot.
The guest's /init loads each module in order, runs each test program, unloads the modules,
scans dmesg for kernel warnings, prints one line per check::

    LUOGEN-E2E <name> PASS|FAIL <exit>
    LUOGEN-E2E-SUMMARY passed=N failed=M

and leaves qemu through isa-debug-exit (byte 0: all passed; qemu then exits with 1).

Python 3.11 stdlib only. CLI::

    python tests/e2e/harness.py --module DIR ... --program FILE.c ... [--cflags ...] [--timeout S]

Environment: LUOGEN_E2E_KVM=1 uses KVM when /proc/cpuinfo has vmx/svm and /dev/kvm exists
(TCG otherwise); LUOGEN_E2E_CACHE overrides the cache folder (default <repo>/.cache/e2e).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import io
import lzma
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = Path(os.environ.get("LUOGEN_E2E_CACHE", str(REPO_ROOT / ".cache" / "e2e")))

# The i686 cross compiler builds the 32-bit test programs (gcc-multilib would do, but Debian
# makes it conflict with every cross compiler, and the layout check uses three of them).
PACKAGES = (
    "qemu-system-x86",
    "busybox-static",
    "linux-headers-amd64",
    "gcc-i686-linux-gnu",
    "libc6-dev-i386-cross",
)
# The one helper every install goes through: quiet, waits for apt's locks (see the script).
APT_INSTALL = REPO_ROOT / "tests" / "tools" / "apt-install.sh"
BUSYBOX = Path("/bin/busybox")
DEFAULT_TIMEOUT = 120.0
DEBUG_EXIT_PORT = 0xF4
DMESG_PATTERN = "WARNING:|BUG:|Oops|Call Trace|general protection"
# share_host_root: Debian's modules (in load order) that mount the host's / read-only over 9p.
HOST_SHARE_MODULES = (
    "drivers/virtio/virtio_ring.ko",
    "drivers/virtio/virtio.ko",
    "drivers/virtio/virtio_pci_modern_dev.ko",
    "drivers/virtio/virtio_pci_legacy_dev.ko",
    "drivers/virtio/virtio_pci.ko",
    "net/9p/9pnet.ko",
    "net/9p/9pnet_virtio.ko",
    "fs/netfs/netfs.ko",
    "fs/fscache/fscache.ko",
    "fs/9p/9p.ko",
    # The real drivers tests/kmod/drivers_test.py drives (modules.dep order: deps first).
    "drivers/input/evdev.ko",
    "drivers/input/misc/uinput.ko",
    "drivers/block/loop.ko",
    "drivers/watchdog/watchdog.ko",
    "drivers/watchdog/softdog.ko",
    "drivers/gpu/drm/drm.ko",
    "drivers/gpu/drm/drm_shmem_helper.ko",
    "drivers/gpu/drm/vgem/vgem.ko",
)
HOST_MOUNT = "/host"
HOST_MOUNT_TAG = "hostroot"
# Lines of the serial log that mean the kernel itself died.
CRASH_RE = re.compile(r"Kernel panic|BUG:|Oops|general protection fault|Call Trace")
# Any compiler or modpost warning fails a build (W=1 KCFLAGS=-Werror catches most of them).
WARNING_RE = re.compile(r"(?i)\bwarning\b")
ANSI_RE = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_])")
TEST_LINE_RE = re.compile(r"^LUOGEN-E2E (\S+) (PASS|FAIL) (-?\d+)\s*$")
SUMMARY_RE = re.compile(r"^LUOGEN-E2E-SUMMARY passed=(\d+) failed=(\d+)\s*$")
RUN_RE = re.compile(r"^LUOGEN-E2E-RUN (\S+)\s*$")
# A test program's own checks, TAP-like: "ok N - ..." or "not ok N - ...".
TAP_RE = re.compile(r"^(?:not )?ok (\d+) - ")


class HarnessError(RuntimeError):
    """A setup or build step failed (the message says which and why)."""


def log(message: str) -> None:
    print(f"[e2e] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def timed(step: str, timings: dict[str, float] | None = None) -> Iterator[None]:
    start = time.monotonic()
    try:
        yield
    finally:
        elapsed = time.monotonic() - start
        if timings is not None:
            timings[step] = timings.get(step, 0.0) + elapsed
        log(f"{step}: {elapsed:.2f}s")


@contextlib.contextmanager
def cache_lock() -> Iterator[None]:
    """Serialise setup between concurrent harness runs sharing one cache."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with open(CACHE_DIR / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(cmd: Sequence[str | Path], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing stdout+stderr together; raise HarnessError on failure."""
    proc = subprocess.run(
        [str(c) for c in cmd],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )
    if proc.returncode != 0:
        raise HarnessError(
            f"command failed ({proc.returncode}): {shlex.join(str(c) for c in cmd)}\n{proc.stdout}"
        )
    return proc  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- packages + kernel


def missing_packages(packages: Sequence[str] = PACKAGES) -> list[str]:
    missing = []
    for name in packages:
        try:
            proc = subprocess.run(
                ["dpkg-query", "-W", "-f=${Status}", name],
                capture_output=True,
                text=True,
                check=False,
            )
        except FileNotFoundError:  # not a Debian system: nothing counts as installed
            return list(packages)
        if proc.returncode != 0 or "install ok installed" not in proc.stdout:
            missing.append(name)
    return missing


def kernel_version() -> str:
    """The ABI name (e.g. 6.1.0-41-amd64) that the installed linux-headers-amd64 depends on."""
    proc = _run(["dpkg-query", "-W", "-f=${Depends}", "linux-headers-amd64"])
    match = re.search(r"linux-headers-(\d[^\s,(]*)", proc.stdout)
    if match is None:
        raise HarnessError(f"cannot read kernel version from linux-headers-amd64: {proc.stdout!r}")
    return match.group(1)


def _unxz(chunk: bytes) -> bytes:
    # A decompressor object stops at the stream's end and ignores the bzImage's trailing bytes.
    return lzma.LZMADecompressor().decompress(chunk)


def _gunzip(chunk: bytes) -> bytes:
    return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(chunk)


def extract_vmlinux(data: bytes) -> bytes:
    """Return the ELF vmlinux inside a bzImage (like the kernel's scripts/extract-vmlinux)."""
    for magic, decompress in ((b"\xfd7zXZ\x00", _unxz), (b"\x1f\x8b\x08", _gunzip)):
        pos = data.find(magic)
        while pos != -1:
            with contextlib.suppress(lzma.LZMAError, zlib.error, EOFError):
                out = decompress(data[pos:])
                if out.startswith(b"\x7fELF"):
                    return out
            pos = data.find(magic, pos + 1)
    raise HarnessError("no xz- or gzip-compressed ELF payload found in the kernel image")


def _fetch_kernel(kver: str, kdir: Path, timings: dict[str, float]) -> None:
    kdir.mkdir(parents=True, exist_ok=True)
    debs = sorted(kdir.glob(f"linux-image-{kver}_*.deb"))
    if not debs:
        with timed("apt-get download linux-image", timings):
            _run(["apt-get", "download", "-q", f"linux-image-{kver}"], cwd=kdir)
        debs = sorted(kdir.glob(f"linux-image-{kver}_*.deb"))
        if not debs:
            raise HarnessError(f"apt-get download left no linux-image-{kver} .deb in {kdir}")
    with timed("extract vmlinuz from .deb", timings):
        member = f"./boot/vmlinuz-{kver}"
        with subprocess.Popen(
            ["dpkg-deb", "--fsys-tarfile", str(debs[-1])], stdout=subprocess.PIPE
        ) as proc:
            assert proc.stdout is not None
            data = None
            try:
                with tarfile.open(fileobj=proc.stdout, mode="r|*") as tar:
                    for info in tar:
                        if info.name == member:
                            extracted = tar.extractfile(info)
                            assert extracted is not None
                            data = extracted.read()
                            break
            except tarfile.TarError as exc:
                raise HarnessError(f"cannot read {debs[-1]}: {exc}") from exc
            finally:
                proc.kill()  # the rest of the ~400 MB tar stream is not needed
        if data is None:
            raise HarnessError(f"{member} not found in {debs[-1]}")
        tmp = kdir / "vmlinuz.tmp"
        tmp.write_bytes(data)
        tmp.replace(kdir / "vmlinuz")
        for deb in debs:  # ~70 MB; vmlinuz (8 MB) and vmlinux are all we keep
            deb.unlink()


def ensure_host_share_modules(kver: str, timings: dict[str, float] | None = None) -> list[Path]:
    """The HOST_SHARE_MODULES of Debian's linux-image-KVER, unpacked once into the cache."""
    kdir = CACHE_DIR / "kernel" / kver
    mdir = kdir / "host-share"
    kos = [mdir / Path(m).name for m in HOST_SHARE_MODULES]
    with cache_lock():
        if all(k.exists() for k in kos):
            return kos
        mdir.mkdir(parents=True, exist_ok=True)
        with timed("apt-get download linux-image (9p modules)", timings):
            _run(["apt-get", "download", "-q", f"linux-image-{kver}"], cwd=mdir)
        debs = sorted(mdir.glob(f"linux-image-{kver}_*.deb"))
        if not debs:
            raise HarnessError(f"apt-get download left no linux-image-{kver} .deb in {mdir}")
        wanted = {
            f"./lib/modules/{kver}/kernel/{m}": mdir / Path(m).name for m in HOST_SHARE_MODULES
        }
        with (
            timed("extract 9p modules from .deb", timings),
            subprocess.Popen(
                ["dpkg-deb", "--fsys-tarfile", str(debs[-1])], stdout=subprocess.PIPE
            ) as proc,
        ):
            assert proc.stdout is not None
            try:
                with tarfile.open(fileobj=proc.stdout, mode="r|*") as tar:
                    for info in tar:
                        if info.name in wanted:
                            extracted = tar.extractfile(info)
                            assert extracted is not None
                            wanted.pop(info.name).write_bytes(extracted.read())
                            if not wanted:
                                break
            finally:
                proc.kill()
        for deb in debs:
            deb.unlink()
        if wanted:
            raise HarnessError(f"not in {debs[-1].name}: {', '.join(sorted(wanted))}")
    return kos


def ensure_packages(timings: dict[str, float] | None = None) -> tuple[str, Path]:
    """Install what is missing, fetch and unpack the kernel; return (KVER, ELF vmlinux path)."""
    timings = {} if timings is None else timings
    with cache_lock():
        missing = missing_packages()
        if missing:
            with timed(f"install {' '.join(missing)}", timings):
                _run(["bash", APT_INSTALL, "the e2e run", *missing])
        kver = kernel_version()
        if not Path(f"/lib/modules/{kver}/build/Makefile").exists():
            raise HarnessError(f"/lib/modules/{kver}/build is missing: headers not installed?")
        kdir = CACHE_DIR / "kernel" / kver
        vmlinux = kdir / "vmlinux"
        if not vmlinux.exists():
            if not (kdir / "vmlinuz").exists():
                _fetch_kernel(kver, kdir, timings)
            with timed("extract ELF vmlinux", timings):
                tmp = kdir / "vmlinux.tmp"
                tmp.write_bytes(extract_vmlinux((kdir / "vmlinuz").read_bytes()))
                tmp.replace(vmlinux)
    return kver, vmlinux


# --------------------------------------------------------------------------- builds


def _check_warnings(what: str, output: str, allow: Sequence[str] = ()) -> None:
    bad = [
        line
        for line in output.splitlines()
        if WARNING_RE.search(line) and not any(a in line for a in allow)
    ]
    if bad:
        raise HarnessError(f"{what}: warnings in build output:\n" + "\n".join(bad))


def build_modules(
    dirs: Sequence[Path],
    kver: str,
    build_root: Path,
    kcflags: Sequence[str] = (),
    timings: dict[str, float] | None = None,
) -> list[Path]:
    """Build each module folder (copied under build_root) warning-free; return the .ko files.

    kcflags (e.g. -I/abs/include, for headers outside the copied folder) go into KCFLAGS.
    """
    kbuild = Path(f"/lib/modules/{kver}/build")
    kos: list[Path] = []
    for index, src in enumerate(dirs):
        src = Path(src).resolve()
        if not src.is_dir():
            raise HarnessError(f"module folder not found: {src}")
        dest = build_root / "modules" / f"{index:02d}-{src.name}"
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.ko", "*.o", ".*.cmd"))
        with timed(f"build module {src.name}", timings):
            flags = shlex.join(["-Werror", *kcflags])
            cmd = ["make", "-C", str(kbuild), f"M={dest}", "W=1", f"KCFLAGS={flags}", "-j2"]
            proc = _run(cmd)
        _check_warnings(f"module {src}", proc.stdout)
        built = sorted(dest.glob("*.ko"))
        if not built:
            raise HarnessError(f"module {src}: make produced no .ko\n{proc.stdout}")
        kos.extend(built)
    names = [k.name for k in kos]
    if len(set(names)) != len(names):
        raise HarnessError(f"modules need distinct .ko names: {names}")
    return kos


def build_programs(
    sources: Sequence[Path],
    build_root: Path,
    cflags: Sequence[str] = (),
    timings: dict[str, float] | None = None,
) -> list[Path]:
    """Build each C source statically with -Werror; anything else is taken as a prebuilt binary."""
    out_dir = build_root / "programs"
    out_dir.mkdir(parents=True, exist_ok=True)
    programs: list[Path] = []
    for src in sources:
        src = Path(src).resolve()
        if not src.is_file():
            raise HarnessError(f"program not found: {src}")
        if src.suffix != ".c":
            programs.append(src)
            continue
        out = out_dir / src.stem
        with timed(f"build program {src.name}", timings):
            cmd = ["gcc", "-static", "-O2", "-Wall", "-Wextra", "-Werror", *cflags]
            proc = _run([*cmd, "-o", str(out), str(src)])
        _check_warnings(f"program {src}", proc.stdout)
        programs.append(out)
    names = [p.name for p in programs]
    if len(set(names)) != len(names):
        raise HarnessError(f"test programs need distinct names: {names}")
    return programs


# --------------------------------------------------------------------------- initramfs


class Cpio:
    """Minimal newc ("070701") cpio writer: the kernel unpacks it; no cpio tool or root needed."""

    def __init__(self) -> None:
        self._buf = io.BytesIO()
        self._ino = 1
        self._seen: set[str] = set()

    def _entry(
        self, name: str, mode: int, data: bytes = b"", rdev: tuple[int, int] = (0, 0)
    ) -> None:
        name = name.strip("/")
        if name in self._seen:
            return
        self._seen.add(name)
        raw = name.encode() + b"\0"
        fields = (self._ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(raw), 0)
        header = b"070701" + b"".join(f"{v:08X}".encode() for v in fields)
        self._ino += 1
        self._write_padded(header + raw)
        self._write_padded(data)

    def _write_padded(self, chunk: bytes) -> None:
        self._buf.write(chunk)
        self._buf.write(b"\0" * (-self._buf.tell() % 4))

    def mkdir(self, name: str, mode: int = 0o755) -> None:
        parts = name.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            self._entry("/".join(parts[:i]), stat.S_IFDIR | mode)

    def _parent(self, name: str) -> None:
        parent = name.strip("/").rpartition("/")[0]
        if parent:
            self.mkdir(parent)

    def file(self, name: str, data: bytes, mode: int = 0o644) -> None:
        self._parent(name)
        self._entry(name, stat.S_IFREG | mode, data)

    def symlink(self, name: str, target: str) -> None:
        self._parent(name)
        self._entry(name, stat.S_IFLNK | 0o777, target.encode())

    def chardev(self, name: str, major: int, minor: int, mode: int = 0o600) -> None:
        self._parent(name)
        self._entry(name, stat.S_IFCHR | mode, rdev=(major, minor))

    def add_path(self, src: Path, dest: str) -> None:
        """Copy a host file, symlink or folder tree (modes kept) to dest in the archive."""
        st = src.lstat()
        if stat.S_ISLNK(st.st_mode):
            self.symlink(dest, os.readlink(src))
        elif stat.S_ISDIR(st.st_mode):
            self.mkdir(dest, stat.S_IMODE(st.st_mode))
            for child in sorted(src.iterdir()):
                self.add_path(child, f"{dest.rstrip('/')}/{child.name}")
        elif stat.S_ISREG(st.st_mode):
            self.file(dest, src.read_bytes(), stat.S_IMODE(st.st_mode))
        else:
            raise HarnessError(f"cannot put {src} into the initramfs (not a file, dir or link)")

    def getvalue(self) -> bytes:
        self._entry("TRAILER!!!", 0)
        return self._buf.getvalue()


def init_script(
    modules: Sequence[str], programs: Sequence[str], host_modules: Sequence[str] = ()
) -> str:
    """The guest's /init: names are basenames under /luogen/modules and /luogen/bin.

    host_modules (basenames under /luogen/host-modules) share the host's / read-only at
    HOST_MOUNT, with the guest's /dev, /proc, /sys and a writable tmpfs at /dev/shm mounted over
    it, ready for `chroot HOST_MOUNT ...`; the mount is one more check, mount:hostroot. The host's
    /tmp stays visible: the repository (and so the programs) may live there.
    """
    q = shlex.quote
    lines = [
        "#!/bin/busybox sh",
        "/bin/busybox --install -s /bin",
        "export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/luogen/bin",
        "mkdir -p /proc /sys /dev /tmp",
        "mount -t proc proc /proc",
        "mount -t sysfs sysfs /sys",
        "mount -t devtmpfs devtmpfs /dev",
        "[ -e /dev/port ] || mknod /dev/port c 1 4",
        # Quiet the console before any marker line so kernel messages cannot interleave.
        "dmesg -n 1",
        "passed=0",
        "failed=0",
        "result() {",
        '    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); st=PASS',
        "    else failed=$((failed + 1)); st=FAIL; fi",
        '    echo "LUOGEN-E2E $1 $st $2"',
        "}",
        "cd /tmp",
    ]
    if host_modules:
        h = HOST_MOUNT
        lines += [f"insmod /luogen/host-modules/{q(name)} || true" for name in host_modules]
        lines += [
            f"mkdir -p {h}",
            f"mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000"
            f" {HOST_MOUNT_TAG} {h} && mount -t devtmpfs devtmpfs {h}/dev"
            f" && mount -t proc proc {h}/proc && mount -t sysfs sysfs {h}/sys"
            f" && mkdir -p {h}/dev/shm && mount -t tmpfs tmpfs {h}/dev/shm",
            f"result mount:{HOST_MOUNT_TAG} $?",
        ]
    for name in modules:
        lines += [f"insmod /luogen/modules/{q(name)}", f"result insmod:{q(name)} $?"]
    for name in programs:
        lines += [
            f'echo "LUOGEN-E2E-RUN {name}"',
            f"/luogen/bin/{q(name)}",
            f"result {q(name)} $?",
        ]
    for name in reversed(modules):
        mod = name.removesuffix(".ko")
        lines += [f"rmmod {q(mod)}", f"result rmmod:{q(mod)} $?"]
    lines += [
        f"if dmesg | grep -E {q(DMESG_PATTERN)} > /tmp/dmesg-bad; then",
        "    sed 's/^/LUOGEN-E2E-DMESG /' /tmp/dmesg-bad",
        "    result dmesg 1",
        "else",
        "    result dmesg 0",
        "fi",
        'echo "LUOGEN-E2E-SUMMARY passed=$passed failed=$failed"',
        "sync",
        "code=0",
        '[ "$failed" -eq 0 ] || code=1',
        # busybox has no outb: write one byte to I/O port 0xf4 (244) through /dev/port.
        f'printf "\\\\$(printf %o $code)" | dd of=/dev/port bs=1 seek={DEBUG_EXIT_PORT} count=1'
        " 2>/dev/null",
        "poweroff -f",
        "sleep 5",
    ]
    return "\n".join(lines) + "\n"


def make_initramfs(
    modules: Sequence[Path],
    programs: Sequence[Path],
    out: Path,
    extra_files: Sequence[Path | tuple[Path, str]] = (),
    host_modules: Sequence[Path] = (),
) -> Path:
    """Write an uncompressed busybox initramfs with the modules, programs and extras to out.

    An extra given as a path goes to /luogen/extra/<name>; as (path, dest) it goes to dest.
    """
    if not BUSYBOX.exists():
        raise HarnessError(f"{BUSYBOX} missing: install busybox-static")
    cpio = Cpio()
    for d in ("bin", "sbin", "usr/bin", "usr/sbin", "proc", "sys", "tmp", "dev", "luogen/bin"):
        cpio.mkdir(d)
    cpio.chardev("dev/console", 5, 1)
    cpio.chardev("dev/null", 1, 3, 0o666)
    cpio.file("bin/busybox", BUSYBOX.read_bytes(), 0o755)
    cpio.symlink("bin/sh", "busybox")
    cpio.mkdir("luogen/modules")
    for ko in modules:
        cpio.file(f"luogen/modules/{ko.name}", ko.read_bytes())
    for ko in host_modules:
        cpio.file(f"luogen/host-modules/{ko.name}", ko.read_bytes())
    for prog in programs:
        cpio.file(f"luogen/bin/{prog.name}", prog.read_bytes(), 0o755)
    for extra in extra_files:
        src, dest = extra if isinstance(extra, tuple) else (extra, f"/luogen/extra/{extra.name}")
        cpio.add_path(Path(src), dest)
    cpio.file(
        "init",
        init_script(
            [k.name for k in modules], [p.name for p in programs], [k.name for k in host_modules]
        ).encode(),
        0o755,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(cpio.getvalue())
    return out


# --------------------------------------------------------------------------- boot + results


@dataclass
class TestOutcome:
    name: str
    passed: bool
    exit_code: int


@dataclass
class Result:
    tests: list[TestOutcome] = field(default_factory=list)
    summary: tuple[int, int] | None = None
    qemu_exit: int | None = None
    timed_out: bool = False
    crash_lines: list[str] = field(default_factory=list)
    # program -> how many TAP checks it printed (numbered 1..N, else a problem)
    checks: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    log: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def returncode(self) -> int:
        return 0 if self.ok else 1


def clean_log(raw: bytes) -> str:
    text = raw.decode("utf-8", errors="replace").replace("\r", "")
    return ANSI_RE.sub("", text)


def parse_log(text: str, qemu_exit: int | None, timed_out: bool, expected: int | None) -> Result:
    """Judge a serial log: every check must pass, and both exit channels must agree."""
    result = Result(qemu_exit=qemu_exit, timed_out=timed_out, log=text)
    program = None
    for line in text.splitlines():
        if m := RUN_RE.match(line):
            program = m.group(1)
            result.checks[program] = 0
        elif program and (m := TAP_RE.match(line)):
            count = result.checks[program] = result.checks[program] + 1
            if int(m.group(1)) != count:
                result.problems.append(f"{program}: its check {count} is numbered {m.group(1)}")
        elif m := TEST_LINE_RE.match(line):
            program = None
            result.tests.append(TestOutcome(m.group(1), m.group(2) == "PASS", int(m.group(3))))
        elif m := SUMMARY_RE.match(line):
            result.summary = (int(m.group(1)), int(m.group(2)))
        elif CRASH_RE.search(line) and not line.startswith("LUOGEN-E2E"):
            result.crash_lines.append(line)
    p = result.problems
    if timed_out:
        p.append("timed out (hang or crash): qemu was killed")
    if result.crash_lines:
        p.append("kernel crash or warning on the console")
    p.extend(f"{t.name} failed (exit {t.exit_code})" for t in result.tests if not t.passed)
    if result.summary is None:
        p.append("no LUOGEN-E2E-SUMMARY line")
    else:
        passed, failed = result.summary
        counted = (sum(t.passed for t in result.tests), sum(not t.passed for t in result.tests))
        if (passed, failed) != counted:
            p.append(f"summary {result.summary} disagrees with the test lines {counted}")
        if expected is not None and passed + failed != expected:
            p.append(f"expected {expected} checks, the guest reported {passed + failed}")
        want = 1 if failed == 0 else 3  # isa-debug-exit: (byte << 1) | 1
        if not timed_out and qemu_exit not in (want, 0):
            p.append(f"qemu exited {qemu_exit}, expected {want} (isa-debug-exit)")
        if failed == 0 and qemu_exit == 0:
            log("note: guest left through poweroff -f, not isa-debug-exit")
    return result


def use_kvm() -> bool:
    if os.environ.get("LUOGEN_E2E_KVM", "") not in ("1", "true", "yes"):
        return False
    cpuinfo = Path("/proc/cpuinfo").read_text()
    return bool(re.search(r"\b(vmx|svm)\b", cpuinfo)) and os.access("/dev/kvm", os.R_OK | os.W_OK)


def qemu_command(
    vmlinux: Path, initramfs: Path, serial_log: Path, share_host_root: bool = False
) -> list[str]:
    accel = (
        ["-accel", "kvm", "-cpu", "host"]
        if use_kvm()
        else ["-accel", "tcg,thread=multi", "-cpu", "max"]
    )
    return [
        "qemu-system-x86_64",
        *accel,
        "-smp", "2",
        "-m", "512M",
        "-nodefaults",
        "-display", "none",
        "-no-reboot",
        "-serial", f"file:{serial_log}",
        "-device", f"isa-debug-exit,iobase={DEBUG_EXIT_PORT:#x},iosize=0x04",
        "-kernel", str(vmlinux),
        "-initrd", str(initramfs),
        "-append", "console=ttyS0 panic=-1 oops=panic quiet",
        *(
            [
                "-virtfs",
                f"local,path=/,mount_tag={HOST_MOUNT_TAG},security_model=none,readonly=on"
                ",multidevs=remap",
            ]
            if share_host_root
            else []
        ),
    ]  # fmt: skip


def boot(
    vmlinux: Path,
    initramfs: Path,
    workdir: Path,
    timeout: float = DEFAULT_TIMEOUT,
    expected: int | None = None,
    share_host_root: bool = False,
) -> Result:
    serial_log = workdir / "serial.log"
    cmd = qemu_command(vmlinux, initramfs, serial_log, share_host_root)
    start = time.monotonic()
    timed_out = False
    # coreutils timeout ends a hang; Python's own timeout is the backstop.
    with subprocess.Popen(
        ["timeout", "-k", "5", str(timeout), *cmd],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    ) as proc:
        try:
            qemu_out, _ = proc.communicate(timeout=timeout + 15)
        except subprocess.TimeoutExpired:
            proc.kill()
            qemu_out, _ = proc.communicate()
        rc: int | None = proc.returncode
    if rc in (124, 137, -9):
        timed_out = True
    elapsed = time.monotonic() - start
    log(f"boot-to-poweroff: {elapsed:.2f}s (qemu exit {rc})")
    raw = serial_log.read_bytes() if serial_log.exists() else b""
    result = parse_log(clean_log(raw), rc, timed_out, expected)
    result.timings["boot-to-poweroff"] = elapsed
    said = qemu_out.decode(errors="replace").strip()
    if said and rc not in (0, 1, 3):
        result.problems.append(f"qemu said: {said}")
    elif said:
        log(f"qemu: {said}")
    return result


def run(
    modules: Sequence[Path],
    programs: Sequence[Path],
    extra_files: Sequence[Path | tuple[Path, str]] = (),
    cflags: Sequence[str] = (),
    timeout: float = DEFAULT_TIMEOUT,
    keep: bool = False,
    verbose: bool = False,
    include_dirs: Sequence[Path] = (),
    kcflags: Sequence[str] = (),
    share_host_root: bool = False,
    judge: Callable[[Result], list[str]] | None = None,
) -> Result:
    """Build, pack, boot and judge; prints each check's line and the summary.

    include_dirs go (absolute) to both the module and the program builds; cflags only to the
    programs, kcflags only to the modules. share_host_root mounts the host's / read-only at
    /host in the guest (9p), for programs that `chroot /host` (e.g. to run the host's Python).
    judge(result) adds the caller's own problems with a booted run (e.g. checks it expected).
    """
    timings: dict[str, float] = {}
    total = time.monotonic()
    kver, vmlinux = ensure_packages(timings)
    log(f"kernel {kver} ({'kvm' if use_kvm() else 'tcg'})")
    (CACHE_DIR / "runs").mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="run-", dir=CACHE_DIR / "runs"))
    try:
        try:
            includes = [f"-I{Path(d).resolve()}" for d in include_dirs]
            kos = build_modules(modules, kver, workdir, [*includes, *kcflags], timings)
            progs = build_programs(programs, workdir, [*includes, *cflags], timings)
            host_kos = ensure_host_share_modules(kver, timings) if share_host_root else []
            with timed("initramfs", timings):
                initrd = make_initramfs(
                    kos, progs, workdir / "initramfs.cpio", extra_files, host_kos
                )
        except HarnessError as exc:
            print(f"LUOGEN-E2E-PROBLEM {exc}")
            return Result(problems=[str(exc)], timings=timings)
        # insmod + rmmod each, programs, dmesg (and mount:hostroot)
        expected = 2 * len(kos) + len(progs) + 1 + bool(share_host_root)
        result = boot(vmlinux, initrd, workdir, timeout, expected, share_host_root)
        result.timings = {**timings, **result.timings}
        if judge is not None:
            result.problems += judge(result)
        in_program = False
        for line in result.log.splitlines():
            if verbose or not result.ok:
                print(f"  | {line}")
            elif line.startswith("LUOGEN-E2E-RUN "):
                in_program = True
            elif line.startswith("LUOGEN-E2E"):
                in_program = False
                print(line)
            elif in_program:
                print(f"    {line}")
        for problem in result.problems:
            print(f"LUOGEN-E2E-PROBLEM {problem}")
        result.timings["total"] = time.monotonic() - total
        log(f"total: {result.timings['total']:.2f}s -> {'PASS' if result.ok else 'FAIL'}")
        if keep:
            log(f"kept {workdir}")
        return result
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--module",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="kernel module folder (Kbuild/Makefile); loaded in the given order",
    )
    parser.add_argument(
        "--program",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="test program: .c built static, anything else copied as a binary",
    )
    parser.add_argument(
        "--cflags",
        action="append",
        default=[],
        metavar="FLAGS",
        help="extra gcc flags for the programs (shell-split); write --cflags=-DX=1",
    )
    parser.add_argument(
        "--kcflags",
        action="append",
        default=[],
        metavar="FLAGS",
        help="extra KCFLAGS for the modules (shell-split)",
    )
    parser.add_argument(
        "-I",
        "--include",
        dest="includes",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="include folder for both the modules and the programs",
    )
    parser.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="SRC[:DEST]",
        help="file or folder to copy into the guest (default /luogen/extra/NAME)",
    )
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S")
    parser.add_argument(
        "--setup-only",
        action="store_true",
        help="install packages and prepare the kernel, then stop",
    )
    parser.add_argument("--keep", action="store_true", help="keep the run folder under the cache")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the whole serial log")
    args = parser.parse_args(argv)
    try:
        if args.setup_only:
            kver, vmlinux = ensure_packages()
            print(f"{kver} {vmlinux}")
            return 0
        if not args.program and not args.module:
            parser.error("give at least one --module or --program")
        cflags = [f for chunk in args.cflags for f in shlex.split(chunk)]
        kcflags = [f for chunk in args.kcflags for f in shlex.split(chunk)]
        extras: list[Path | tuple[Path, str]] = []
        for spec in args.extra:
            src, sep, dest = spec.partition(":")
            extras.append((Path(src), dest) if sep else Path(src))
        result = run(
            args.module,
            args.program,
            extras,
            cflags,
            args.timeout,
            args.keep,
            args.verbose,
            args.includes,
            kcflags,
        )
    except HarnessError as exc:
        print(f"LUOGEN-E2E-PROBLEM {exc}")
        return 1
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
