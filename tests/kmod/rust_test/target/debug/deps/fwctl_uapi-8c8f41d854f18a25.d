/work/main/tests/kmod/rust_test/target/debug/deps/fwctl_uapi-8c8f41d854f18a25.d: /work/main/generated/fwctl/rust/src/lib.rs /work/main/generated/fwctl/rust/src/safe.rs

/work/main/tests/kmod/rust_test/target/debug/deps/libfwctl_uapi-8c8f41d854f18a25.rmeta: /work/main/generated/fwctl/rust/src/lib.rs /work/main/generated/fwctl/rust/src/safe.rs

/work/main/generated/fwctl/rust/src/lib.rs:
/work/main/generated/fwctl/rust/src/safe.rs:
