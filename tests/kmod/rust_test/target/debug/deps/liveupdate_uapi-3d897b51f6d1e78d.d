/work/main/tests/kmod/rust_test/target/debug/deps/liveupdate_uapi-3d897b51f6d1e78d.d: /work/main/generated/liveupdate/rust/src/lib.rs /work/main/generated/liveupdate/rust/src/safe.rs

/work/main/tests/kmod/rust_test/target/debug/deps/libliveupdate_uapi-3d897b51f6d1e78d.rlib: /work/main/generated/liveupdate/rust/src/lib.rs /work/main/generated/liveupdate/rust/src/safe.rs

/work/main/tests/kmod/rust_test/target/debug/deps/libliveupdate_uapi-3d897b51f6d1e78d.rmeta: /work/main/generated/liveupdate/rust/src/lib.rs /work/main/generated/liveupdate/rust/src/safe.rs

/work/main/generated/liveupdate/rust/src/lib.rs:
/work/main/generated/liveupdate/rust/src/safe.rs:
