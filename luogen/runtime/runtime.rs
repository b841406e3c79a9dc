//! The runtime of luogen's Rust bindings: what every generated crate needs and no spec changes.
//! Each crate gets this file as `src/runtime.rs`: the raw `ioctl` and `errno`, the operators of
//! flag sets, and, with the `std` feature, the object types and helpers of the safe layer.

use core::ffi::{c_int, c_ulong};

extern "C" {
    /// `ioctl(2)`; the request is an `unsigned long` in glibc (musl declares an `int`, which
    /// the calling convention passes alike for these numbers, all below 2^31).
    pub(crate) fn ioctl(fd: c_int, request: c_ulong, ...) -> c_int;
}

/// Which `_IOC` encoding the architecture being built for uses: the column of every ioctl
/// number table (0: asm-generic's; 1: that of powerpc, mips, sparc and alpha, where `_IOC_NONE` is
/// 1 and the direction starts at bit 29). A crate whose numbers are each architecture's own
/// (linux/soundcard.h's, sparc's differing) reads none of it.
#[allow(dead_code)]
#[cfg(not(any(
    target_arch = "mips",
    target_arch = "mips32r6",
    target_arch = "mips64",
    target_arch = "mips64r6",
    target_arch = "powerpc",
    target_arch = "powerpc64",
    target_arch = "sparc",
    target_arch = "sparc64"
)))]
pub(crate) const ENCODING: usize = 0;
#[allow(dead_code)]
#[cfg(any(
    target_arch = "mips",
    target_arch = "mips32r6",
    target_arch = "mips64",
    target_arch = "mips64r6",
    target_arch = "powerpc",
    target_arch = "powerpc64",
    target_arch = "sparc",
    target_arch = "sparc64"
))]
pub(crate) const ENCODING: usize = 1;

/// The `errno` of the calling thread (glibc and musl).
#[cfg(target_os = "linux")]
pub fn errno() -> c_int {
    extern "C" {
        fn __errno_location() -> *mut c_int;
    }
    // SAFETY: the C library returns a valid pointer to this thread's errno.
    unsafe { *__errno_location() }
}

/// The kernel's `__le16`/`__le32`/`__aligned_le64` and `__be*` kin: an unsigned integer whose
/// bytes are in a fixed order whatever the host's. `new` stores a host value in that order and
/// `get` reads it back, so no byte-swapped value reaches a caller on either kind of host.
macro_rules! byte_ordered {
    ($name:ident($repr:ty), $to:ident, $from:ident, $c:literal, $layout:meta) => {
        #[doc = concat!("`", $c, "`: a `", stringify!($repr), "` stored in that byte order.")]
        #[$layout]
        #[allow(dead_code)] // a crate re-exports the ones its spec uses
        #[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $name($repr);

        #[allow(dead_code)]
        impl $name {
            /// Zero, in any byte order.
            pub const ZERO: Self = Self(0);

            /// The host value `value`, stored in this type's byte order.
            pub const fn new(value: $repr) -> Self {
                Self(value.$to())
            }

            /// The stored value as a host integer.
            pub const fn get(self) -> $repr {
                <$repr>::$from(self.0)
            }
        }

        impl From<$repr> for $name {
            fn from(value: $repr) -> Self {
                Self::new(value)
            }
        }

        impl From<$name> for $repr {
            fn from(value: $name) -> Self {
                value.get()
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                core::fmt::Debug::fmt(&self.get(), f)
            }
        }
    };
}

byte_ordered!(Le16(u16), to_le, from_le, "__le16", repr(transparent));
byte_ordered!(Le32(u32), to_le, from_le, "__le32", repr(transparent));
byte_ordered!(
    Le64(u64),
    to_le,
    from_le,
    "__aligned_le64",
    repr(C, align(8))
);
byte_ordered!(Be16(u16), to_be, from_be, "__be16", repr(transparent));
byte_ordered!(Be32(u32), to_be, from_be, "__be32", repr(transparent));
byte_ordered!(
    Be64(u64),
    to_be,
    from_be,
    "__aligned_be64",
    repr(C, align(8))
);

/// The constants, methods and operators every flag set has: `$name` is a
/// `#[repr(transparent)]` newtype over `$repr`, the integer its members are stored as.
#[allow(unused_macros)] // a crate uses the macros its spec needs
macro_rules! flag_set {
    ($name:ident, $repr:ty) => {
        impl $name {
            /// No flag.
            pub const EMPTY: Self = Self(0);

            /// The bits.
            pub const fn bits(self) -> $repr {
                self.0
            }

            /// Whether every flag of `other` is set in `self`.
            pub const fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }

            /// Whether no flag is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }
        }

        impl core::ops::BitOr for $name {
            type Output = Self;

            fn bitor(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }
        }

        impl core::ops::BitOrAssign for $name {
            fn bitor_assign(&mut self, other: Self) {
                self.0 |= other.0;
            }
        }

        impl core::ops::BitAnd for $name {
            type Output = Self;

            fn bitand(self, other: Self) -> Self {
                Self(self.0 & other.0)
            }
        }

        impl core::ops::BitAndAssign for $name {
            fn bitand_assign(&mut self, other: Self) {
                self.0 &= other.0;
            }
        }

        impl core::ops::Not for $name {
            type Output = Self;

            fn not(self) -> Self {
                Self(!self.0)
            }
        }
    };
}

/// The plumbing of the raw struct or union `$name`: `Default` (all zero: its `ZERO`), and
/// compile-time checks that rustc lays it out as C does on the architecture being built for: its
/// size, its alignment and the offset of every member (each a constant, or for a classic
/// header's record a per-architecture `[..][ARCH]`).
#[allow(unused_macros)]
macro_rules! raw_struct {
    ($name:ident, size $size:expr, align $align:expr,
     offsets { $($member:ident: $offset:expr),* $(,)? }) => {
        impl Default for $name {
            fn default() -> Self {
                Self::ZERO
            }
        }

        // SAFETY: a raw struct is `repr(C)` and made of integers, raw pointers, and arrays,
        // structs and unions of them (its flag sets and enums are integer newtypes): any bytes
        // of its size are one.
        unsafe impl $crate::runtime::Plain for $name {}

        const _: () = assert!(
            core::mem::size_of::<$name>() == $size,
            concat!(stringify!($name), " size")
        );
        const _: () = assert!(
            core::mem::align_of::<$name>() == $align,
            concat!(stringify!($name), " align")
        );
        $(
            const _: () = assert!(
                core::mem::offset_of!($name, $member) == $offset,
                concat!(stringify!($name), ".", stringify!($member), " offset")
            );
        )*
    };
}

/// A type that any bytes of its size are a value of: the raw layer's structs (`raw_struct!`).
///
/// # Safety
///
/// Every bit pattern of `size_of::<Self>()` bytes is a valid `Self`.
#[allow(dead_code)] // read by the safe layer's driver data, where a spec has output data
pub(crate) unsafe trait Plain {}

/// The raw layer's function `$fn`: the ioctl `$number` on an fd, with a `$arg` (the command's
/// struct, whose size header is `$size`; its doc comment comes first), and a test that
/// `/dev/null` refuses it with ENOTTY.
#[allow(unused_macros)]
macro_rules! raw_ioctl {
    ($(#[$doc:meta])* $fn:ident($arg:ident.$size:ident) = $number:ident) => {
        $(#[$doc])*
        ///
        /// Returns what `ioctl(2)` returns: 0 on success, or -1 with [`errno`] set.
        ///
        /// # Safety
        ///
        #[doc = concat!(
            "`fd` is the caller's to use, and `arg` points to a valid, writable `",
            stringify!($arg),
            "` whose `",
            stringify!($size),
            "` is at most its size; every user pointer in it is valid for what ",
            "the kernel does through it."
        )]
        pub unsafe fn $fn(fd: core::ffi::c_int, arg: *mut $arg) -> core::ffi::c_int {
            $crate::runtime::ioctl(fd, $number, arg)
        }

        #[cfg(all(test, target_os = "linux"))]
        mod $fn {
            #[test]
            fn is_not_a_tty_ioctl_of_dev_null() {
                use std::os::fd::AsRawFd;

                let file = std::fs::File::open("/dev/null").unwrap();
                let mut arg = super::$arg::ZERO;
                arg.$size = super::$arg::SIZE;
                // SAFETY: `arg` is a valid, writable struct of the ioctl's type.
                let ret = unsafe { super::$fn(file.as_raw_fd(), &mut arg) };
                assert_eq!((ret, super::errno()), (-1, 25)); // ENOTTY
            }
        }
    };
}

/// An object type of the safe layer: `$name` owns the fd of one object (its doc comment comes
/// first), converts from and into an `OwnedFd` and lends it out as `AsFd` and `AsRawFd`. With
/// `open`, it also opens the object from a path; with `open PATH`, from PATH by default.
#[cfg(feature = "std")]
#[allow(unused_macros)]
macro_rules! fd_object {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name {
            fd: ::std::os::fd::OwnedFd,
        }

        impl $name {
            /// Takes ownership of an open fd of this object.
            pub fn from_fd(fd: ::std::os::fd::OwnedFd) -> Self {
                Self { fd }
            }

            /// Gives the fd back.
            pub fn into_fd(self) -> ::std::os::fd::OwnedFd {
                self.fd
            }
        }

        impl ::std::os::fd::AsFd for $name {
            fn as_fd(&self) -> ::std::os::fd::BorrowedFd<'_> {
                ::std::os::fd::AsFd::as_fd(&self.fd)
            }
        }

        impl ::std::os::fd::AsRawFd for $name {
            fn as_raw_fd(&self) -> ::std::os::fd::RawFd {
                ::std::os::fd::AsRawFd::as_raw_fd(&self.fd)
            }
        }

        impl From<::std::os::fd::OwnedFd> for $name {
            fn from(fd: ::std::os::fd::OwnedFd) -> Self {
                Self { fd }
            }
        }

        impl From<$name> for ::std::os::fd::OwnedFd {
            fn from(object: $name) -> Self {
                object.fd
            }
        }
    };
    ($(#[$doc:meta])* $name:ident, open) => {
        fd_object!($(#[$doc])* $name);

        impl $name {
            /// Opens the object at `path` (read-write, close-on-exec).
            pub fn open(path: impl AsRef<::std::path::Path>) -> ::std::io::Result<Self> {
                let file = ::std::fs::OpenOptions::new().read(true).write(true).open(path)?;
                Ok(Self { fd: file.into() })
            }
        }
    };
    ($(#[$doc:meta])* $name:ident, open $path:literal) => {
        fd_object!($(#[$doc])* $name, open);

        impl $name {
            /// Where the object is.
            pub const DEFAULT_PATH: &str = $path;

            /// Opens [`Self::DEFAULT_PATH`].
            pub fn open_default() -> ::std::io::Result<Self> {
                Self::open(Self::DEFAULT_PATH)
            }
        }
    };
}

/// What the safe layer's methods spell: one import for the module that holds them.
#[cfg(feature = "std")]
#[allow(unused_imports)] // each crate uses what its spec needs
pub(crate) mod prelude {
    pub(crate) use super::std_helpers::*;
    pub(crate) use core::ffi::{c_void, CStr};
    pub(crate) use std::ffi::CString;
    pub(crate) use std::io;
    pub(crate) use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};
    pub(crate) use std::vec::Vec;
}

/// The helpers of the safe layer's methods.
#[cfg(feature = "std")]
#[allow(dead_code)] // a crate uses those its spec needs
mod std_helpers {
    use core::ffi::{c_int, CStr};
    use std::ffi::CString;
    use std::io;
    use std::os::fd::{FromRawFd, OwnedFd, RawFd};

    /// `Ok` for what a raw ioctl returned on success, the thread's errno otherwise.
    pub(crate) fn check(ret: c_int) -> io::Result<c_int> {
        if ret == -1 {
            Err(io::Error::last_os_error())
        } else {
            Ok(ret)
        }
    }

    /// Copies a C string into a fixed `[u8; N]` member, NUL-terminated, refusing one too long.
    pub(crate) fn copy_cstr(target: &mut [u8], value: &CStr, what: &str) -> io::Result<()> {
        let bytes = value.to_bytes_with_nul();
        if bytes.len() > target.len() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                std::format!(
                    "{what} is {} bytes long; at most {} fit with the NUL",
                    bytes.len() - 1,
                    target.len() - 1
                ),
            ));
        }
        target[..bytes.len()].copy_from_slice(bytes);
        target[bytes.len()..].fill(0);
        Ok(())
    }

    /// The C string a `[u8; N]` member holds: up to its first NUL, or all of it.
    pub(crate) fn to_cstring(bytes: &[u8]) -> CString {
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        CString::new(&bytes[..end]).expect("no NUL before `end`")
    }

    /// Refuses a bitmap argument of `words` 64-bit words that is shorter than what the kernel
    /// writes for `length` bytes of IOVA at one bit per `page_size` bytes: as
    /// include/linux/iova_bitmap.h computes it, ((length - 1) / (64 << __ffs(page_size))) + 1
    /// words in 64-bit arithmetic (a length of 0 wraps to the whole space). A page size of 0,
    /// which the kernel refuses, is refused here.
    pub(crate) fn bitmap_room(
        words: usize,
        length: impl Into<u64>,
        page_size: impl Into<u64>,
        what: &str,
    ) -> io::Result<()> {
        let (length, page_size) = (length.into(), page_size.into());
        let refuse =
            |why: std::string::String| Err(io::Error::new(io::ErrorKind::InvalidInput, why));
        if page_size == 0 {
            return refuse(std::format!("{what}: a page size of 0 has no bits"));
        }
        let span = 64u128 << page_size.trailing_zeros();
        let needed = u128::from(length.wrapping_sub(1)) / span + 1;
        if (words as u128) < needed {
            return refuse(std::format!(
                "{what} has {words} words; {length} bytes at page size {page_size} need {needed}"
            ));
        }
        Ok(())
    }

    /// The length of a buffer argument as its length member's type, refusing one too long for
    /// it.
    pub(crate) fn buffer_len<T: TryFrom<usize>>(len: usize, what: &str) -> io::Result<T> {
        T::try_from(len).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                std::format!("{what} is {len} bytes long, more than its length member holds"),
            )
        })
    }

    /// The length of a slice argument as its count member's type, refusing more elements than
    /// the command takes (`max`) or the member holds.
    pub(crate) fn array_len<T: TryFrom<usize>>(
        len: usize,
        max: usize,
        what: &str,
    ) -> io::Result<T> {
        let too_many = || {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                std::format!("{what} has {len} elements, more than the {max} it takes"),
            )
        };
        if len > max {
            return Err(too_many());
        }
        T::try_from(len).map_err(|_| too_many())
    }

    /// EMSGSIZE, which the query protocol answers when an array is too small
    /// (include/uapi/asm-generic/errno.h; arch/mips and arch/sparc have their own).
    #[cfg(any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6"
    ))]
    const EMSGSIZE: c_int = 97;
    #[cfg(any(target_arch = "sparc", target_arch = "sparc64"))]
    const EMSGSIZE: c_int = 40;
    #[cfg(not(any(
        target_arch = "mips",
        target_arch = "mips32r6",
        target_arch = "mips64",
        target_arch = "mips64r6",
        target_arch = "sparc",
        target_arch = "sparc64"
    )))]
    const EMSGSIZE: c_int = 90;

    /// After one call of a command whose output array follows the query protocol (`ret`: what
    /// the raw ioctl returned, `total`: the count the kernel wrote back): whether to call again,
    /// `elems` grown to the total the kernel asked for (EMSGSIZE); on success `elems` is cut to
    /// the elements the kernel wrote.
    pub(crate) fn query_again<T: Copy, N: Into<u64>>(
        ret: c_int,
        elems: &mut std::vec::Vec<T>,
        total: N,
        zero: T,
    ) -> io::Result<bool> {
        let error = (ret == -1).then(io::Error::last_os_error);
        let total = usize::try_from(total.into()).unwrap_or(usize::MAX);
        match error {
            Some(error) if error.raw_os_error() == Some(EMSGSIZE) && total > elems.len() => {
                elems.resize(total, zero);
                Ok(true)
            }
            Some(error) => Err(error),
            None if total > elems.len() => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                std::format!(
                    "the kernel reported {total} elements for room for {}",
                    elems.len()
                ),
            )),
            None => {
                elems.truncate(total);
                Ok(false)
            }
        }
    }

    /// The `T` in the first bytes of `bytes`: the driver data a kernel wrote into room of the
    /// safe layer's.
    pub(crate) fn read_plain<T: super::Plain>(bytes: &[u8]) -> T {
        let size = core::mem::size_of::<T>();
        assert!(bytes.len() >= size, "room for the struct");
        // SAFETY: `bytes` holds as many bytes as a `T` (read unaligned), and any bytes of that
        // size are a `T` (`Plain`).
        unsafe { core::ptr::read_unaligned(bytes.as_ptr().cast::<T>()) }
    }

    /// Takes ownership of an fd the kernel returned.
    pub(crate) fn owned_fd(fd: RawFd) -> io::Result<OwnedFd> {
        if fd < 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the kernel returned no file descriptor",
            ));
        }
        // SAFETY: the ioctl succeeded and returned a new fd, which nothing else owns.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn byte_ordered_types_store_their_order_and_read_host_values() {
        use super::{Be16, Be32, Be64, Le16, Le32, Le64};
        let le = Le64::new(0x0102_0304_0506_0708);
        assert_eq!(le.0.to_ne_bytes(), [8, 7, 6, 5, 4, 3, 2, 1]); // its bytes in memory
        assert_eq!(le.get(), 0x0102_0304_0506_0708);
        assert_eq!(Be32::new(0x0102_0304).0.to_ne_bytes(), [1, 2, 3, 4]);
        assert_eq!(u16::from(Le16::from(0xbeef)), 0xbeef);
        assert_eq!(core::mem::align_of::<Le64>(), 8);
        assert_eq!(core::mem::align_of::<Be64>(), 8);
        assert_eq!(core::mem::size_of::<Le32>(), 4);
        assert_eq!(Be16::ZERO.get(), 0);
        assert_eq!(std::format!("{:?}", Le32::new(5)), "5");
    }

    #[repr(C)]
    #[derive(Debug, PartialEq, Eq)]
    struct TestRaw {
        size: u32,
        r#in: u16,
        pad: u16,
    }

    impl TestRaw {
        const ZERO: Self = Self {
            size: 0,
            r#in: 0,
            pad: 0,
        };
    }

    raw_struct! {
        TestRaw, size 8, align 4,
        offsets { size: 0, r#in: 4, pad: 6 }
    }

    #[test]
    fn raw_structs_default_to_zero() {
        assert_eq!(TestRaw::default(), TestRaw::ZERO);
    }

    #[repr(transparent)]
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    struct TestFlags(u16);

    flag_set!(TestFlags, u16);

    #[test]
    fn flag_set_operators_combine_and_test_bits() {
        let (a, b) = (TestFlags(0x1), TestFlags(0x8000));
        let mut both = a | b;
        assert_eq!(both.bits(), 0x8001);
        assert!(both.contains(a) && both.contains(b) && !a.contains(both));
        assert_eq!((both & a).bits(), 0x1);
        assert_eq!((!a).bits(), 0xfffe);
        both &= !b;
        assert_eq!(both, a);
        both |= b;
        assert_eq!(both.bits(), 0x8001);
        assert!(TestFlags::EMPTY.is_empty() && !a.is_empty());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn errno_is_the_last_failure_of_this_thread() {
        // SAFETY: a raw ioctl on an fd that is not open only sets errno.
        let ret = unsafe { super::ioctl(-1, 0, core::ptr::null_mut::<u8>()) };
        assert_eq!((ret, super::errno()), (-1, 9)); // EBADF
    }

    #[cfg(feature = "std")]
    #[test]
    fn copy_cstr_refuses_what_does_not_fit_and_zero_fills() {
        use super::std_helpers::{copy_cstr, to_cstring};
        let mut buf = [0xffu8; 4];
        let error = copy_cstr(&mut buf, c"abcd", "x").unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
        copy_cstr(&mut buf, c"abc", "x").unwrap();
        assert_eq!(buf, *b"abc\0");
        copy_cstr(&mut buf, c"a", "x").unwrap();
        assert_eq!(buf, *b"a\0\0\0");
        assert_eq!(to_cstring(b"ab\0c").as_bytes(), b"ab");
        assert_eq!(to_cstring(b"abcd").as_bytes(), b"abcd");
    }

    #[cfg(feature = "std")]
    #[test]
    fn bitmap_room_asks_for_the_words_the_kernel_writes() {
        use super::std_helpers::bitmap_room;
        // 64 pages of 4 KiB: one word; 65 pages: two; a 12 KiB page size counts as 4 KiB.
        assert!(bitmap_room(1, 64u64 * 4096, 4096u64, "x").is_ok());
        assert!(bitmap_room(1, 65u64 * 4096, 4096u64, "x").is_err());
        assert!(bitmap_room(2, 65u64 * 4096, 4096u64, "x").is_ok());
        assert!(bitmap_room(1, 64u64 * 4096 + 1, 12288u64, "x").is_err());
        assert!(bitmap_room(0, 1u64, 4096u64, "x").is_err());
        assert!(bitmap_room(usize::MAX, 4096u64, 0u64, "x").is_err());
        // A length of 0 wraps to the whole space, as in the kernel: 2^46 words of 4 KiB pages.
        assert!(bitmap_room(1 << 20, 0u64, 4096u64, "x").is_err());
        assert!(bitmap_room(1, 0u64, 1u64 << 63, "x").is_ok());
        assert!(bitmap_room(1, u64::MAX, 1u64 << 57, "x").is_err());
        assert!(bitmap_room(2, u64::MAX, 1u64 << 57, "x").is_ok());
        assert!(bitmap_room(1, 1u32, 4096u32, "x").is_ok());
    }

    #[cfg(feature = "std")]
    #[test]
    fn buffer_len_refuses_a_length_its_member_cannot_hold() {
        assert_eq!(
            super::std_helpers::buffer_len::<u8>(255, "x").unwrap(),
            255u8
        );
        let error = super::std_helpers::buffer_len::<u8>(256, "x").unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    }

    #[cfg(feature = "std")]
    #[test]
    fn array_len_refuses_more_elements_than_the_maximum_or_the_count_holds() {
        use super::std_helpers::array_len;
        assert_eq!(array_len::<u8>(4, 4, "x").unwrap(), 4u8);
        assert!(array_len::<u8>(5, 4, "x").is_err());
        assert!(array_len::<u8>(256, 1000, "x").is_err());
    }

    #[cfg(feature = "std")]
    #[test]
    fn query_again_grows_to_the_total_the_kernel_asks_for_and_cuts_to_what_it_wrote() {
        use super::std_helpers::query_again;
        let mut elems = std::vec![7u64; 2];
        assert!(!query_again(0, &mut elems, 1u32, 0).unwrap());
        assert_eq!(elems, [7]);
        assert!(query_again(0, &mut elems, 3u32, 0).is_err()); // more than it had room for
    }

    #[cfg(feature = "std")]
    #[test]
    fn read_plain_reads_a_struct_from_unaligned_bytes() {
        let mut bytes = [0u8; 9];
        bytes[1..5].copy_from_slice(&8u32.to_ne_bytes());
        bytes[5..7].copy_from_slice(&0xbeefu16.to_ne_bytes());
        let raw: TestRaw = super::std_helpers::read_plain(&bytes[1..]);
        assert_eq!(
            raw,
            TestRaw {
                size: 8,
                r#in: 0xbeef,
                pad: 0
            }
        );
    }

    #[cfg(feature = "std")]
    #[test]
    fn owned_fd_refuses_a_negative_fd() {
        assert!(super::std_helpers::owned_fd(-1).is_err());
    }
}
