//! The runtime of luogen's Rust bindings of classic headers (`_IOR`, `_IOW`... and C types as
//! spelled), beside `runtime.rs`: which of luogen's 16 architectures the crate is built for, the
//! types that give C's layout where Rust's differs, and the raw layer's macros of classic structs
//! and ioctls. Each crate of a classic header gets this file as `src/classic.rs`.
//!
//! A classic struct's layout and a classic ioctl's number may differ per architecture: the crate
//! holds the model's value for each, in the order of luogen's architectures, and `[..][ARCH]`
//! picks this one's at compile time.

/// The index of the architecture being built for in luogen's list of architectures (amd64,
/// i386, x32, arm64, armhf, ppc64el, ppc64, powerpc, s390x, mips, mips64el, riscv64, sparc64,
/// m68k, alpha, hppa): the column of every per-architecture table. alpha and hppa have no Rust
/// target; a target of none of the others (32-bit sparc, aarch64 ILP32, mips64 n32...) does not
/// build, as luogen knows no layout for it.
#[cfg(all(target_arch = "x86_64", target_pointer_width = "64"))]
pub const ARCH: usize = 0;
#[cfg(target_arch = "x86")]
pub const ARCH: usize = 1;
#[cfg(all(target_arch = "x86_64", target_pointer_width = "32"))]
pub const ARCH: usize = 2;
#[cfg(all(target_arch = "aarch64", target_pointer_width = "64"))]
pub const ARCH: usize = 3;
#[cfg(target_arch = "arm")]
pub const ARCH: usize = 4;
#[cfg(all(target_arch = "powerpc64", target_endian = "little"))]
pub const ARCH: usize = 5;
#[cfg(all(target_arch = "powerpc64", target_endian = "big"))]
pub const ARCH: usize = 6;
#[cfg(target_arch = "powerpc")]
pub const ARCH: usize = 7;
#[cfg(target_arch = "s390x")]
pub const ARCH: usize = 8;
#[cfg(any(target_arch = "mips", target_arch = "mips32r6"))]
pub const ARCH: usize = 9;
#[cfg(all(
    any(target_arch = "mips64", target_arch = "mips64r6"),
    target_pointer_width = "64"
))]
pub const ARCH: usize = 10;
#[cfg(target_arch = "riscv64")]
pub const ARCH: usize = 11;
#[cfg(target_arch = "sparc64")]
pub const ARCH: usize = 12;
#[cfg(target_arch = "m68k")]
pub const ARCH: usize = 13;
#[cfg(not(any(
    all(target_arch = "x86_64", target_pointer_width = "64"),
    target_arch = "x86",
    all(target_arch = "x86_64", target_pointer_width = "32"),
    all(target_arch = "aarch64", target_pointer_width = "64"),
    target_arch = "arm",
    target_arch = "powerpc64",
    target_arch = "powerpc",
    target_arch = "s390x",
    target_arch = "mips",
    target_arch = "mips32r6",
    all(
        any(target_arch = "mips64", target_arch = "mips64r6"),
        target_pointer_width = "64"
    ),
    target_arch = "riscv64",
    target_arch = "sparc64",
    target_arch = "m68k"
)))]
compile_error!("luogen knows no C layout for this target: it is none of its 16 architectures");

/// `__aligned_u64` (and `__aligned_be64`, `__aligned_le64`): a `u64` aligned to 8 on every
/// architecture, where a plain `u64` is aligned to 4 on i386.
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AlignedU64(pub u64);

/// `__aligned_s64`: an `i64` aligned to 8 on every architecture.
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AlignedI64(pub i64);

impl From<u64> for AlignedU64 {
    fn from(value: u64) -> Self {
        Self(value)
    }
}

impl From<AlignedU64> for u64 {
    fn from(value: AlignedU64) -> Self {
        value.0
    }
}

impl From<i64> for AlignedI64 {
    fn from(value: i64) -> Self {
        Self(value)
    }
}

impl From<AlignedI64> for i64 {
    fn from(value: AlignedI64) -> Self {
        value.0
    }
}

/// The integer of `BYTES` bytes, signed or not, as a type: `<Int<4, true> as IntType>::Type` is
/// `i32`. A C typedef whose size differs per architecture (`__kernel_long_t`) is the `Int` of
/// its size on this one, chosen by `[..][ARCH]`.
pub struct Int<const BYTES: usize, const SIGNED: bool>;

/// What [`Int`] names.
pub trait IntType {
    /// The integer type.
    type Type;
}

macro_rules! int_types {
    ($($bytes:literal $signed:literal $type:ty),* $(,)?) => {
        $(
            impl IntType for Int<$bytes, $signed> {
                type Type = $type;
            }
        )*
    };
}

int_types! {
    1 true i8, 1 false u8, 2 true i16, 2 false u16,
    4 true i32, 4 false u32, 8 true i64, 8 false u64,
}

/// The plumbing of the raw classic struct or union `$name`: `Default` (all zero: its `ZERO`),
/// and compile-time checks that rustc lays it out as C does on the architecture being built
/// for: its size, its alignment and the offset of every member, each a constant or a
/// per-architecture `[..][ARCH]`.
#[allow(unused_macros)]
macro_rules! classic_struct {
    ($name:ident, size $size:expr, align $align:expr,
     offsets { $($member:ident: $offset:expr),* $(,)? }) => {
        impl Default for $name {
            fn default() -> Self {
                Self::ZERO
            }
        }

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

/// The raw layer's function `$fn` of a classic ioctl `$number` (its doc comment comes first),
/// by what the ioctl's argument is: nothing (`()`: the argument is 0), a pointer to a `$arg`
/// the kernel reads (`in`), writes (`out`) or both (`inout`), or a `$arg` passed as the
/// argument itself (`value`). Each comes with a test that `/dev/null` refuses it with ENOTTY.
#[allow(unused_macros)]
macro_rules! classic_ioctl {
    ($(#[$doc:meta])* $fn:ident() = $number:ident) => {
        classic_ioctl!(@define $(#[$doc])* $fn, $number, (), core::ptr::null_mut::<core::ffi::c_void>(), ());
    };
    ($(#[$doc:meta])* $fn:ident(in $arg:ty) = $number:ident) => {
        classic_ioctl!(@define $(#[$doc])* $fn, $number, (arg: *const $arg), arg, (&core::mem::zeroed::<$arg>()));
    };
    ($(#[$doc:meta])* $fn:ident(out $arg:ty) = $number:ident) => {
        classic_ioctl!(@define $(#[$doc])* $fn, $number, (arg: *mut $arg), arg, (&mut core::mem::zeroed::<$arg>()));
    };
    ($(#[$doc:meta])* $fn:ident(inout $arg:ty) = $number:ident) => {
        classic_ioctl!(@define $(#[$doc])* $fn, $number, (arg: *mut $arg), arg, (&mut core::mem::zeroed::<$arg>()));
    };
    ($(#[$doc:meta])* $fn:ident(value $arg:ty) = $number:ident) => {
        classic_ioctl!(@define $(#[$doc])* $fn, $number, (arg: $arg), arg as core::ffi::c_ulong, (core::mem::zeroed::<$arg>()));
    };
    (@define $(#[$doc:meta])* $fn:ident, $number:ident, ($($param:ident: $type:ty)?), $passed:expr, ($($sample:expr)?)) => {
        $(#[$doc])*
        ///
        /// Returns what `ioctl(2)` returns: its result (0 or a count the driver gives) on
        /// success, or -1 with [`errno`] set.
        ///
        /// # Safety
        ///
        /// `fd` is the caller's to use, and any pointer argument points to a valid value of its
        /// type (writable when the kernel writes it); every user pointer in it is valid for what
        /// the kernel does through it.
        pub unsafe fn $fn(fd: core::ffi::c_int $(, $param: $type)?) -> core::ffi::c_int {
            $crate::runtime::ioctl(fd, $number, $passed)
        }

        #[cfg(all(test, target_os = "linux"))]
        mod $fn {
            #[allow(unused_imports)] // the argument's type, spelled as the crate root spells it
            use super::*;

            #[test]
            fn is_not_a_tty_ioctl_of_dev_null() {
                use std::os::fd::AsRawFd;

                let file = std::fs::File::open("/dev/null").unwrap();
                // SAFETY: the argument is a valid value of the ioctl's type, all zero; /dev/null
                // follows no pointer.
                #[allow(clippy::unnecessary_mut_passed)]
                let ret = unsafe { super::$fn(file.as_raw_fd() $(, $sample)?) };
                assert_eq!((ret, super::errno()), (-1, 25)); // ENOTTY
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    // alpha (14) and hppa (15) have no Rust target.
    const _: () = assert!(ARCH < 14);

    #[test]
    fn aligned_integers_are_aligned_to_8_and_convert() {
        assert_eq!(core::mem::align_of::<AlignedU64>(), 8);
        assert_eq!(core::mem::align_of::<AlignedI64>(), 8);
        assert_eq!(u64::from(AlignedU64::from(7)), 7);
        assert_eq!(i64::from(AlignedI64::from(-7)), -7);
    }

    #[test]
    fn int_names_the_integer_of_its_size() {
        let long: <Int<{ [8, 4][0] }, true> as IntType>::Type = -1;
        assert_eq!(core::mem::size_of_val(&long), 8);
        let short: <Int<2, false> as IntType>::Type = u16::MAX;
        assert_eq!(short, 65535);
    }
}
