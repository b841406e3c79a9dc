/work/main/tests/kmod/rust_test/target/debug/deps/fwctl_uapi-4bd56da0d36cc1b5.d: /work/main/generated/fwctl/rust/src/lib.rs /work/main/generated/fwctl/rust/src/safe.rs

/work/main/tests/kmod/rust_test/target/debug/deps/libfwctl_uapi-4bd56da0d36cc1b5.rlib: /work/main/generated/fwctl/rust/src/lib.rs /work/main/generated/fwctl/rust/src/safe.rs

/work/main/tests/kmod/rust_test/target/debug/deps/libfwctl_uapi-4bd56da0d36cc1b5.rmeta: /work/main/generated/fwctl/rust/src/lib.rs /work/main/generated/fwctl/rust/src/safe.rs

/work/main/generated/fwctl/rust/src/lib.rs:
/work/main/generated/fwctl/rust/src/safe.rs:
