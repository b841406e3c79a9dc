//! The LUO and fwctl scenarios of luo_test.c and fwctl_test.c, through the SAFE layer of the
//! generated Rust crates only. One TAP-like line per check ("ok N - ..." / "not ok N - ...");
//! exit status 0 only when every check passed. Built static by tests/kmod/run_e2e.py.

use std::ffi::CString;
use std::fs::File;
use std::io::{self, ErrorKind, Read, Seek, SeekFrom, Write};
use std::os::fd::{AsFd, AsRawFd, FromRawFd};
use std::process::ExitCode;

use fwctl_uapi::{Fwctl, FwctlDeviceType, FwctlRpcScope};
use liveupdate_uapi::{LiveUpdate, LIVEUPDATE_SESSION_NAME_LENGTH};

const EPERM: i32 = 1;
const ENOENT: i32 = 2;
const EBUSY: i32 = 16;
const ENOSPC: i32 = 28;
const EEXIST: i32 = 17;

/// What the fake device reports in out_device_data (see tests/kmod/fwctl/main.c).
const DEVICE_DATA: [u8; 16] = [
    0x78, 0x56, 0x34, 0x12, 0x01, 0x00, 0x00, 0x00, 0x6c, 0x75, 0x6f, 0x67, 0x65, 0x6e, 0x00, 0x00,
];

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

    /// `result` failed with errno `want` (and kind `kind`, when given).
    fn errno<T>(&mut self, result: io::Result<T>, want: i32, kind: Option<ErrorKind>, what: &str) {
        let (ok, got) = match &result {
            Ok(_) => (false, "succeeded".to_string()),
            Err(e) => (
                e.raw_os_error() == Some(want) && kind.is_none_or(|k| e.kind() == k),
                format!("{:?} / {:?}", e.raw_os_error(), e.kind()),
            ),
        };
        self.check(ok, format!("{what} -> errno {want} (got {got})"));
    }
}

fn memfd(name: &str) -> io::Result<File> {
    extern "C" {
        fn memfd_create(name: *const std::ffi::c_char, flags: u32) -> i32;
    }
    let name = CString::new(name).expect("no NUL");
    // SAFETY: a valid C string; the fd returned is new and ours.
    let fd = unsafe {
        memfd_create(name.as_ptr(), 1 /* MFD_CLOEXEC */)
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: fd is a fresh, open fd that nothing else owns.
    Ok(unsafe { File::from_raw_fd(fd) })
}

fn luo(t: &mut Tap) {
    let dev = match LiveUpdate::open_default() {
        Ok(dev) => dev,
        Err(e) => {
            t.check(false, format!("LiveUpdate::open_default ({e})"));
            return;
        }
    };
    t.check(true, "LiveUpdate::open_default");
    t.errno(
        LiveUpdate::open_default(),
        EBUSY,
        Some(ErrorKind::ResourceBusy),
        "second open",
    );

    let session = match dev.create_session(c"rust-alpha") {
        Ok(s) => s,
        Err(e) => {
            t.check(false, format!("create_session(\"rust-alpha\") ({e})"));
            return;
        }
    };
    t.check(
        session.as_raw_fd() >= 0,
        "create_session(\"rust-alpha\") returned a Session",
    );
    t.errno(
        dev.create_session(c"rust-alpha"),
        EEXIST,
        Some(ErrorKind::AlreadyExists),
        "create_session duplicate",
    );
    let long = CString::new("x".repeat(LIVEUPDATE_SESSION_NAME_LENGTH)).expect("no NUL");
    let err = dev.create_session(&long).err();
    t.check(
        err.as_ref()
            .is_some_and(|e| e.kind() == ErrorKind::InvalidInput && e.raw_os_error().is_none()),
        format!("create_session 64-byte name -> InvalidInput before any ioctl ({err:?})"),
    );
    t.errno(
        dev.retrieve_session(c"nosuch"),
        ENOENT,
        Some(ErrorKind::NotFound),
        "retrieve_session unknown name",
    );
    match dev.retrieve_session(c"rust-alpha") {
        Ok(again) => {
            let name = again.name();
            t.check(
                matches!(&name, Ok(n) if n.as_bytes() == b"rust-alpha"),
                format!("retrieve_session(\"rust-alpha\") -> a Session named {name:?}"),
            );
        }
        Err(e) => {
            t.check(false, format!("retrieve_session(\"rust-alpha\") ({e})"));
        }
    }

    let mut file = match memfd("luogen-rust") {
        Ok(f) => f,
        Err(e) => {
            t.check(false, format!("memfd_create ({e})"));
            return;
        }
    };
    t.check(
        session.preserve_fd(file.as_fd(), 7).is_ok(),
        "preserve_fd(memfd, token 7)",
    );
    t.errno(
        session.preserve_fd(file.as_fd(), 7),
        EEXIST,
        None,
        "preserve_fd duplicate token 7",
    );
    t.errno(
        session.retrieve_fd(8),
        ENOENT,
        Some(ErrorKind::NotFound),
        "retrieve_fd unknown token 8",
    );
    match session.retrieve_fd(7) {
        Ok(fd) => {
            t.check(
                fd.as_raw_fd() != file.as_raw_fd(),
                "retrieve_fd(7) returned a new OwnedFd",
            );
            let mut back = File::from(fd);
            let wrote = file.write_all(b"luogen-rust").is_ok();
            let mut buf = String::new();
            let read =
                back.seek(SeekFrom::Start(0)).is_ok() && back.read_to_string(&mut buf).is_ok();
            t.check(
                wrote && read && buf == "luogen-rust",
                format!("written to the memfd, read through the retrieved fd ({buf:?})"),
            );
        }
        Err(e) => {
            t.check(false, format!("retrieve_fd(7) ({e})"));
        }
    }
    let name = session.name();
    t.check(
        matches!(&name, Ok(n) if n.as_bytes() == b"rust-alpha"),
        format!("Session::name() = {name:?}"),
    );
    t.check(session.finish().is_ok(), "finish()");
    t.errno(
        session.retrieve_fd(7),
        ENOENT,
        None,
        "retrieve_fd(7) after finish",
    );
    drop(session);
    t.errno(
        dev.retrieve_session(c"rust-alpha"),
        ENOENT,
        None,
        "session gone once its fds closed",
    );
}

fn fwctl(t: &mut Tap) {
    let dev = match Fwctl::open("/dev/fwctl0") {
        Ok(dev) => dev,
        Err(e) => {
            t.check(false, format!("Fwctl::open(\"/dev/fwctl0\") ({e})"));
            return;
        }
    };
    t.check(true, "Fwctl::open(\"/dev/fwctl0\")");

    let mut data = [0xa5u8; 64];
    match dev.info(&mut data) {
        Ok(info) => {
            t.check(
                info.out_device_type == FwctlDeviceType::FWCTL_DEVICE_TYPE_MLX5,
                format!("info(): device type MLX5 ({:?})", info.out_device_type),
            );
            t.check(
                info.device_data_len == 16,
                format!("info(): 16 bytes ({})", info.device_data_len),
            );
            t.check(
                data[..16] == DEVICE_DATA && data[16..].iter().all(|&b| b == 0xa5),
                "info(): the 16-byte blob, nothing past it written",
            );
        }
        Err(e) => {
            t.check(false, format!("info() ({e})"));
        }
    }
    let mut short = [0xa5u8; 8];
    let info = dev.info(&mut short);
    t.check(
        matches!(&info, Ok(i) if i.device_data_len == 16) && short == DEVICE_DATA[..8],
        format!("info(&mut [u8; 8]) fills 8 bytes, reports 16 ({info:?})"),
    );
    let info = dev.info(&mut []);
    t.check(
        matches!(&info, Ok(i) if i.device_data_len == 16),
        format!("info(&mut []) reports the length ({info:?})"),
    );

    let request = *b"hello firmware";
    let mut out = [0u8; 64];
    let call = |scope: FwctlRpcScope, out: &mut [u8]| dev.rpc(scope, &request, out);
    let got = call(FwctlRpcScope::FWCTL_RPC_CONFIGURATION, &mut out);
    t.check(
        matches!(got, Ok(14)) && out[..14] == request,
        format!("rpc() echoes the request ({got:?})"),
    );
    t.errno(
        call(FwctlRpcScope::FWCTL_RPC_DEBUG_WRITE_FULL, &mut out),
        EPERM,
        Some(ErrorKind::PermissionDenied),
        "rpc() scope DEBUG_WRITE_FULL",
    );
    t.errno(
        call(FwctlRpcScope::FWCTL_RPC_DEBUG_READ_ONLY, &mut out[..5]),
        ENOSPC,
        None,
        "rpc() into 5 bytes for a 14-byte response",
    );
}

fn main() -> ExitCode {
    let mut t = Tap::default();
    luo(&mut t);
    fwctl(&mut t);
    println!("# rust_test: {} checks, {} failed", t.checks, t.failures);
    if t.failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
