/work/main/tests/kmod/rust_test/target/debug/deps/liveupdate_uapi-2486364ecfcdd2ec.d: /work/main/generated/liveupdate/rust/src/lib.rs /work/main/generated/liveupdate/rust/src/safe.rs

/work/main/tests/kmod/rust_test/target/debug/deps/libliveupdate_uapi-2486364ecfcdd2ec.rmeta: /work/main/generated/liveupdate/rust/src/lib.rs /work/main/generated/liveupdate/rust/src/safe.rs

/work/main/generated/liveupdate/rust/src/lib.rs:
/work/main/generated/liveupdate/rust/src/safe.rs:
