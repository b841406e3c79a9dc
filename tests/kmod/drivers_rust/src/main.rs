//! Real drivers of Debian's kernel through the SAFE layers of the Rust crates luogen generated
//! from the kernel's own headers (`luogen import`, spec/imported/): rtc-cmos, softdog, uinput
//! (read back through evdev), vgem, loop (with linux/fs.h's BLKGETSIZE64) and userfaultfd, the
//! scenarios of drivers_test.py.
//! Every value checked comes from outside the binding: the guest's clock, sysfs, the driver's own
//! identity string, the backing file's inode and bytes, the page userfaultfd filled. One TAP-like
//! line per check; exit status 0 only when every check passed. Built static by run_e2e.py.

use std::ffi::{c_int, c_long, c_void};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use drm_drm_uapi::{__kernel_size_t, DrmDrm, DrmModeCreateDumb, DrmVersion};
use fs_uapi::Fs;
use input_uapi::{Input, EV_VERSION};
use loop_uapi::{Loop, LoopConfig, LoopInfo64};
use rtc_uapi::{Rtc, RtcParam, RtcTime, RTC_FEATURE_ALARM, RTC_PARAM_FEATURES};
use uinput_uapi::{InputId, Uinput, UinputSetup};
use userfaultfd_uapi::{
    UffdioApi, UffdioCopy, UffdioRange, UffdioRegister, UffdioZeropage, Userfaultfd, _UFFDIO_API,
    _UFFDIO_COPY, _UFFDIO_REGISTER, _UFFDIO_UNREGISTER, _UFFDIO_ZEROPAGE,
    UFFDIO_REGISTER_MODE_MISSING, UFFD_API, UFFD_EVENT_PAGEFAULT, UFFD_FEATURE_SIGBUS,
};
use watchdog_uapi::Watchdog;

const ENXIO: i32 = 6;
const EEXIST: i32 = 17;
const EBUSY: i32 = 16;
const EINVAL: i32 = 22;
/// linux/input.h and linux/input-event-codes.h (not imported: uinput.h only).
const BUS_VIRTUAL: u16 = 6;
const EV_KEY: c_int = 1;
const KEY_A: c_int = 30;
/// userfaultfd(2) on x86_64 (arch/x86/entry/syscalls/syscall_64.tbl).
const NR_USERFAULTFD: c_long = 323;
const O_CLOEXEC: c_int = 0o2000000;
const O_NONBLOCK: c_int = 0o4000;
const PAGE: usize = 4096;
const UINPUT_NAME: &[u8] = b"luogen-uinput-rust";

extern "C" {
    fn syscall(number: c_long, ...) -> c_long;
    fn mmap(
        addr: *mut c_void,
        len: usize,
        prot: c_int,
        flags: c_int,
        fd: c_int,
        off: i64,
    ) -> *mut c_void;
    fn poll(fds: *mut PollFd, count: u64, timeout: c_int) -> c_int;
}

/// struct pollfd of poll(2).
#[repr(C)]
struct PollFd {
    fd: c_int,
    events: i16,
    revents: i16,
}

/// A section of the program: its checks, or the error that stopped it.
type Section = fn(&mut Tap) -> io::Result<()>;

#[derive(Default)]
struct Tap {
    checks: u32,
    failures: u32,
}

impl Tap {
    fn check(&mut self, ok: bool, what: impl AsRef<str>) -> bool {
        self.checks += 1;
        if !ok {
            self.failures += 1;
        }
        println!(
            "{}ok {} - {}",
            if ok { "" } else { "not " },
            self.checks,
            what.as_ref()
        );
        ok
    }

    /// `result` failed with the kernel's errno `want`.
    fn errno<T>(&mut self, result: io::Result<T>, want: i32, what: &str) {
        let (ok, got) = match &result {
            Ok(_) => (false, "succeeded".to_string()),
            Err(e) => (e.raw_os_error() == Some(want), format!("{e}")),
        };
        self.check(ok, format!("{what} -> errno {want} ({got})"));
    }

    /// A section's setup failed: one failed check, the rest of the program still runs.
    fn failed(&mut self, what: &str, error: io::Error) {
        self.check(false, format!("{what}: {error}"));
    }
}

/// The object of the fd `path` opens read-write (the imported ranges' objects are fds: a header
/// does not say where a device is).
fn open<T: From<OwnedFd>>(path: impl AsRef<Path>) -> io::Result<T> {
    let file = fs::OpenOptions::new().read(true).write(true).open(path)?;
    Ok(T::from(OwnedFd::from(file)))
}

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    // Howard Hinnant's days-from-civil, as in his public date algorithms.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn rtc(t: &mut Tap) -> io::Result<()> {
    let dev = open::<Rtc>("/dev/rtc0")?;
    let now = dev.rd_time()?;
    let days = days_from_civil(
        i64::from(now.tm_year) + 1900,
        i64::from(now.tm_mon) + 1,
        i64::from(now.tm_mday),
    );
    let rtc_secs = days * 86_400 + i64::from(now.tm_hour * 3600 + now.tm_min * 60 + now.tm_sec);
    let wall = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    t.check(
        (rtc_secs - wall).abs() < 120,
        format!("rtc RTC_RD_TIME {rtc_secs} within 2 min of the clock {wall}"),
    );
    let alarm = RtcTime {
        tm_sec: 7,
        tm_min: (now.tm_min + 5) % 60,
        tm_hour: now.tm_hour,
        ..RtcTime::ZERO
    };
    dev.alm_set(alarm)?;
    let back = dev.alm_read()?;
    t.check(
        (back.tm_hour, back.tm_min, back.tm_sec) == (alarm.tm_hour, alarm.tm_min, alarm.tm_sec),
        format!(
            "rtc RTC_ALM_SET/RTC_ALM_READ round trip {}:{}:{}",
            back.tm_hour, back.tm_min, back.tm_sec
        ),
    );
    t.errno(
        dev.alm_set(RtcTime {
            tm_min: 61,
            ..alarm
        }),
        EINVAL,
        "rtc RTC_ALM_SET minute 61",
    );
    // RTC_PARAM_GET: _IOW in the header, written back by the RTC core (hints/rtc.yaml); its
    // value is an anonymous union of u64, s64 and a pointer.
    let asked = RtcParam {
        param: RTC_PARAM_FEATURES as u64,
        ..RtcParam::ZERO
    };
    let answer = dev.param_get(asked)?;
    // SAFETY: every member of the union is 8 bytes of integer: any bytes are a u64.
    let features = unsafe { answer.__bindgen_anon_1.uvalue };
    t.check(
        answer.param == RTC_PARAM_FEATURES as u64 && features & (1 << RTC_FEATURE_ALARM) != 0,
        format!("rtc RTC_PARAM_GET RTC_PARAM_FEATURES {features:#x}: the alarm feature"),
    );
    t.errno(
        dev.param_get(RtcParam { index: 1, ..asked }),
        EINVAL,
        "rtc RTC_PARAM_GET index 1",
    );
    Ok(())
}

fn softdog(t: &mut Tap) -> io::Result<()> {
    let dev = open::<Watchdog>("/dev/watchdog")?;
    let mut file = File::from(OwnedFd::from(dev));
    let dev = Watchdog::from_fd(OwnedFd::from(file.try_clone()?));
    let result = (|| -> io::Result<()> {
        let info = dev.getsupport()?;
        let identity: Vec<u8> = info
            .identity
            .iter()
            .copied()
            .take_while(|&b| b != 0)
            .collect();
        t.check(
            identity == b"Software Watchdog",
            format!(
                "softdog WDIOC_GETSUPPORT {:?}",
                String::from_utf8_lossy(&identity)
            ),
        );
        t.check(dev.settimeout(17)? == 17, "softdog WDIOC_SETTIMEOUT 17");
        t.check(dev.gettimeout()? == 17, "softdog WDIOC_GETTIMEOUT 17");
        t.errno(dev.settimeout(0), EINVAL, "softdog WDIOC_SETTIMEOUT 0");
        Ok(())
    })();
    file.write_all(b"V")?; // the magic close: the timer stops instead of firing
    result
}

fn input_device(name: &[u8]) -> Option<PathBuf> {
    let found = fs::read_dir("/sys/devices/virtual/input").ok()?;
    found
        .flatten()
        .map(|e| e.path())
        .find(|p| fs::read(p.join("name")).is_ok_and(|n| n.trim_ascii() == name))
}

fn uinput(t: &mut Tap) -> io::Result<()> {
    let dev = open::<Uinput>("/dev/uinput")?;
    // By value (spec/imported/hints/uinput.yaml): the driver reads the bit number from arg.
    dev.set_evbit(EV_KEY)?;
    dev.set_keybit(KEY_A)?;
    let mut setup = UinputSetup {
        id: InputId {
            bustype: BUS_VIRTUAL,
            vendor: 0x1234,
            product: 0x5678,
            version: 1,
        },
        ..UinputSetup::ZERO
    };
    for (slot, byte) in setup.name.iter_mut().zip(UINPUT_NAME) {
        *slot = *byte as _;
    }
    dev.dev_setup(setup)?;
    dev.dev_create()?;
    let Some(found) = input_device(UINPUT_NAME) else {
        t.check(
            false,
            "uinput UI_DEV_SETUP/UI_DEV_CREATE: no input device of that name in sysfs",
        );
        return dev.dev_destroy().map(drop);
    };
    t.check(
        true,
        format!("uinput UI_DEV_SETUP/UI_DEV_CREATE: {}", found.display()),
    );
    let read = |p: &str| {
        fs::read_to_string(found.join(p))
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let ids = (read("id/vendor"), read("id/product"));
    t.check(
        ids == ("1234".into(), "5678".into()),
        format!("uinput ids in sysfs {ids:?}"),
    );
    let (ev, key) = (read("capabilities/ev"), read("capabilities/key"));
    t.check(
        ev == "3" && key.split(' ').next_back() == Some(&format!("{:x}", 1u64 << KEY_A)),
        format!("uinput UI_SET_EVBIT/UI_SET_KEYBIT by value: sysfs ev {ev} key {key}"),
    );
    if let Err(e) = evdev(t, &found, setup.id) {
        t.failed("evdev", e);
    }
    t.check(
        dev.get_version()? >= 5,
        "uinput UI_GET_VERSION >= 5 (UI_DEV_SETUP's)",
    );
    t.errno(
        dev.dev_setup(setup),
        EINVAL,
        "uinput UI_DEV_SETUP once created",
    );
    dev.dev_destroy()?;
    Ok(())
}

/// The uinput device read back through evdev (linux/input.h), at /dev/input/eventN.
fn evdev(t: &mut Tap, device: &Path, id: InputId) -> io::Result<()> {
    let event = fs::read_dir(device)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("event"))
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no eventN of the device"))?;
    let node = format!("/dev/input/{event}");
    let (one, two) = (open::<Input>(&node)?, open::<Input>(&node)?);
    let got = one.eviocgid()?;
    t.check(
        (got.bustype, got.vendor, got.product, got.version)
            == (id.bustype, id.vendor, id.product, id.version),
        format!("evdev EVIOCGID {got:?}"),
    );
    let version = one.eviocgversion()?;
    t.check(
        version as usize == EV_VERSION,
        format!("evdev EVIOCGVERSION {version:#x}"),
    );
    // By value (spec/imported/hints/input.yaml): non-zero grabs, 0 releases.
    t.check(
        one.eviocgrab(1)? == 0,
        format!("evdev EVIOCGRAB 1 on {event}"),
    );
    t.errno(two.eviocgrab(1), EBUSY, "evdev EVIOCGRAB from a second fd");
    one.eviocgrab(0).map(drop)
}

fn lo(t: &mut Tap) -> io::Result<()> {
    let (offset, limit) = (8192u64, 65536u64);
    let backing = Path::new("/dev/shm/luogen-loop-rust.img");
    let pages: Vec<u8> = (0..=255u8).flat_map(|n| [n; PAGE]).collect(); // page n: bytes n
    fs::write(backing, &pages)?;
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(backing)?;
    let index = open::<Loop>("/dev/loop-control")?.ctl_get_free()?;
    let node = format!("/dev/loop{index}");
    t.check(
        Path::new(&node).exists(),
        format!("loop LOOP_CTL_GET_FREE -> {node}"),
    );
    let dev = open::<Loop>(&node)?;
    let mut info = LoopInfo64 {
        lo_offset: offset,
        lo_sizelimit: limit,
        ..LoopInfo64::ZERO
    };
    info.lo_file_name[..6].copy_from_slice(b"luogen");
    let config = LoopConfig {
        fd: file.as_raw_fd() as u32,
        info,
        ..LoopConfig::ZERO
    };
    dev.configure(config)?;
    let sysfs = |n: &str| {
        fs::read_to_string(format!("/sys/block/loop{index}/loop/{n}")).unwrap_or_default()
    };
    let seen = (sysfs("offset"), sysfs("sizelimit"), sysfs("backing_file"));
    t.check(
        seen == (
            format!("{offset}\n"),
            format!("{limit}\n"),
            format!("{}\n", backing.display()),
        ),
        format!("loop LOOP_CONFIGURE: sysfs {seen:?}"),
    );
    let status = dev.get_status64()?;
    let name: Vec<u8> = status
        .lo_file_name
        .iter()
        .copied()
        .take_while(|&b| b != 0)
        .collect();
    t.check(
        (
            status.lo_offset,
            status.lo_sizelimit,
            status.lo_number,
            name.as_slice(),
        ) == (offset, limit, index as u32, b"luogen".as_slice())
            && status.lo_inode == fs::metadata(backing)?.ino(),
        format!(
            "loop LOOP_GET_STATUS64 offset {} sizelimit {} number {}",
            status.lo_offset, status.lo_sizelimit, status.lo_number
        ),
    );
    let block = Fs::from_fd(OwnedFd::from(File::open(&node)?));
    let size = block.blkgetsize64()?;
    t.check(size as u64 == limit, format!("loop BLKGETSIZE64 {size}"));
    let mut head = [0u8; 4];
    File::open(&node)?.read_exact_at(&mut head, 0)?;
    t.check(
        head == [(offset / PAGE as u64) as u8; 4],
        format!("loop reads the backing file from {offset}: {head:?}"),
    );
    t.errno(dev.configure(config), EBUSY, "loop LOOP_CONFIGURE twice");
    drop(block);
    dev.clr_fd()?;
    t.errno(
        dev.get_status64(),
        ENXIO,
        "loop LOOP_GET_STATUS64 after LOOP_CLR_FD",
    );
    fs::remove_file(backing)
}

fn userfaultfd(t: &mut Tap) -> io::Result<()> {
    // SAFETY: userfaultfd(2) takes its flags and returns a new fd or -1.
    let fd = unsafe { syscall(NR_USERFAULTFD, O_CLOEXEC | O_NONBLOCK) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the fd is new and nothing else owns it.
    let uffd = Userfaultfd::from_fd(unsafe { OwnedFd::from_raw_fd(fd as c_int) });
    let api = UFFD_API as u64;
    t.errno(
        uffd.uffdio_api(UffdioApi {
            api: 0x55,
            ..UffdioApi::ZERO
        }),
        EINVAL,
        "userfaultfd UFFDIO_API api 0x55",
    );
    // SIGBUS: a touch of a missing page kills the program rather than waiting for a handler.
    let got = uffd.uffdio_api(UffdioApi {
        api,
        features: UFFD_FEATURE_SIGBUS as u64,
        ..UffdioApi::ZERO
    })?;
    // The ioctls are a 64-bit set: UFFDIO_API is bit 63.
    let ioctls = 1u64 << _UFFDIO_API | 1 << _UFFDIO_REGISTER | 1 << _UFFDIO_UNREGISTER;
    t.check(
        got.api == api && got.ioctls == ioctls && got.features & UFFD_FEATURE_SIGBUS as u64 != 0,
        format!(
            "userfaultfd UFFDIO_API ioctls {:#x} features {:#x}",
            got.ioctls, got.features
        ),
    );
    t.errno(
        uffd.uffdio_api(UffdioApi {
            api,
            ..UffdioApi::ZERO
        }),
        EINVAL,
        "userfaultfd UFFDIO_API twice",
    );
    // SAFETY: a new private anonymous mapping of two pages (PROT_READ|PROT_WRITE,
    // MAP_PRIVATE|MAP_ANONYMOUS), never unmapped; only pages the kernel filled are read.
    let area = unsafe { mmap(std::ptr::null_mut(), 2 * PAGE, 3, 0x22, -1, 0) };
    if area as isize == -1 {
        return Err(io::Error::last_os_error());
    }
    let start = area as u64;
    let range = UffdioRange {
        start,
        len: 2 * PAGE as u64,
    };
    let reg = uffd.uffdio_register(UffdioRegister {
        range,
        mode: UFFDIO_REGISTER_MODE_MISSING as u64,
        ..UffdioRegister::ZERO
    })?;
    let can = 1u64 << _UFFDIO_COPY | 1 << _UFFDIO_ZEROPAGE;
    t.check(
        reg.ioctls & can == can,
        format!("userfaultfd UFFDIO_REGISTER ioctls {:#x}", reg.ioctls),
    );
    let pattern: Vec<u8> = (0..PAGE).map(|i| i as u8).collect();
    let copy = UffdioCopy {
        dst: start,
        src: pattern.as_ptr() as u64,
        len: PAGE as u64,
        ..UffdioCopy::ZERO
    };
    let done = uffd.uffdio_copy(copy)?.copy;
    // SAFETY: page 0 of the mapping, filled by UFFDIO_COPY (checked before it is read).
    let page0 = done == PAGE as i64
        && unsafe { std::slice::from_raw_parts(area as *const u8, PAGE) } == pattern;
    t.check(page0, format!("userfaultfd UFFDIO_COPY {done}"));
    let zero = UffdioZeropage {
        range: UffdioRange {
            start: start + PAGE as u64,
            len: PAGE as u64,
        },
        ..UffdioZeropage::ZERO
    };
    let done = uffd.uffdio_zeropage(zero)?.zeropage;
    // SAFETY: page 1 of the mapping, filled by UFFDIO_ZEROPAGE (checked before it is read).
    let page1 = done == PAGE as i64
        && unsafe { std::slice::from_raw_parts((area as *const u8).add(PAGE), PAGE) }
            .iter()
            .all(|&b| b == 0);
    t.check(page1, format!("userfaultfd UFFDIO_ZEROPAGE {done}"));
    t.errno(
        uffd.uffdio_copy(copy),
        EEXIST,
        "userfaultfd UFFDIO_COPY twice",
    );
    // /dev/userfaultfd (Linux 6.1): USERFAULTFD_IOC_NEW returns a new userfaultfd, which the
    // binding returns as a Userfaultfd (hints/userfaultfd.yaml: returns, opens).
    let made = open::<Userfaultfd>("/dev/userfaultfd")?.userfaultfd_ioc_new(O_CLOEXEC)?;
    let back = made
        .uffdio_api(UffdioApi {
            api,
            ..UffdioApi::ZERO
        })?
        .api;
    t.check(
        back == api,
        "userfaultfd USERFAULTFD_IOC_NEW, then UFFDIO_API on it",
    );
    resolve_a_fault(t, made)
}

/// A thread touches a registered, missing page: the kernel holds it in the fault and queues a
/// message on `uffd`; UFFDIO_COPY fills the page and wakes the thread, which reads the copy.
fn resolve_a_fault(t: &mut Tap, uffd: Userfaultfd) -> io::Result<()> {
    // SAFETY: a new private anonymous page, never unmapped.
    let area = unsafe { mmap(std::ptr::null_mut(), PAGE, 3, 0x22, -1, 0) };
    if area as isize == -1 {
        return Err(io::Error::last_os_error());
    }
    let range = UffdioRange {
        start: area as u64,
        len: PAGE as u64,
    };
    let mode = UFFDIO_REGISTER_MODE_MISSING as u64;
    uffd.uffdio_register(UffdioRegister {
        range,
        mode,
        ..UffdioRegister::ZERO
    })?;
    let (sender, seen) = mpsc::channel();
    let address = area as usize;
    std::thread::spawn(move || {
        // SAFETY: the mapped page; the read waits in its fault until UFFDIO_COPY fills it.
        let page = unsafe { std::slice::from_raw_parts(address as *const u8, PAGE) };
        sender.send(page.to_vec()).ok();
    });
    let mut ready = [PollFd {
        fd: uffd.as_raw_fd(),
        events: 1, /* POLLIN */
        revents: 0,
    }];
    // SAFETY: one valid pollfd.
    let polled = unsafe { poll(ready.as_mut_ptr(), 1, 10_000) };
    // struct uffd_msg (32 bytes; not an ioctl's argument, so not imported): its event byte first.
    let mut message = [0u8; 32];
    let mut file = File::from(OwnedFd::from(uffd));
    let got = if polled == 1 {
        file.read(&mut message)?
    } else {
        0
    };
    t.check(
        got == 32 && usize::from(message[0]) == UFFD_EVENT_PAGEFAULT,
        format!("userfaultfd a thread's touch of a missing page: a {got}-byte message"),
    );
    let uffd = Userfaultfd::from_fd(OwnedFd::from(file));
    let pattern: Vec<u8> = (0..PAGE).map(|i| 255 - i as u8).collect();
    let copy = UffdioCopy {
        dst: area as u64,
        src: pattern.as_ptr() as u64,
        len: PAGE as u64,
        ..UffdioCopy::ZERO
    };
    let done = uffd.uffdio_copy(copy)?.copy;
    let read = seen
        .recv_timeout(Duration::from_secs(10))
        .unwrap_or_default();
    t.check(
        done == PAGE as i64 && read == pattern,
        format!("userfaultfd UFFDIO_COPY {done} resolves the fault: the thread read the copy"),
    );
    Ok(())
}

fn vgem(t: &mut Tap) -> io::Result<()> {
    let mut cards: Vec<_> = fs::read_dir("/dev/dri")?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("card"))
        })
        .collect();
    cards.sort();
    for path in cards {
        let dev = open::<DrmDrm>(&path)?;
        let mut name = [0u8; 64];
        let asked = DrmVersion {
            name_len: name.len() as __kernel_size_t,
            name: name.as_mut_ptr().cast(),
            ..DrmVersion::ZERO
        };
        // SAFETY: `name` outlives the call and holds `name_len` bytes; date and desc are null
        // with length 0, which the kernel writes nothing through.
        let got = unsafe { dev.version(asked) }?;
        let text = &name[..(got.name_len as usize).min(name.len())];
        if text != b"vgem" {
            continue;
        }
        t.check(
            true,
            format!("vgem DRM_IOCTL_VERSION name \"vgem\" on {}", path.display()),
        );
        let dumb = dev.mode_create_dumb(DrmModeCreateDumb {
            height: 64,
            width: 64,
            bpp: 32,
            ..DrmModeCreateDumb::ZERO
        })?;
        t.check(
            dumb.pitch == 64 * 4 && dumb.size >= 64 * 64 * 4 && dumb.handle > 0,
            format!(
                "vgem DRM_IOCTL_MODE_CREATE_DUMB pitch {} size {}",
                dumb.pitch, dumb.size
            ),
        );
        t.errno(
            dev.mode_create_dumb(DrmModeCreateDumb {
                height: 64,
                width: 64,
                ..DrmModeCreateDumb::ZERO
            }),
            EINVAL,
            "vgem DRM_IOCTL_MODE_CREATE_DUMB bpp 0",
        );
        return Ok(());
    }
    t.check(false, "vgem: no /dev/dri/card* is vgem");
    Ok(())
}

fn main() -> ExitCode {
    let mut t = Tap::default();
    let sections: [(&str, Section); 6] = [
        ("rtc", rtc),
        ("softdog", softdog),
        ("uinput", uinput),
        ("vgem", vgem),
        ("loop", lo),
        ("userfaultfd", userfaultfd),
    ];
    for (name, section) in sections {
        if let Err(e) = section(&mut t) {
            t.failed(name, e);
        }
    }
    if t.failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
