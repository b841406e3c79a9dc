/work/main/tests/kmod/rust_test/target/debug/deps/rust_test-128b1006f6a1f80f.d: src/main.rs

/work/main/tests/kmod/rust_test/target/debug/deps/rust_test-128b1006f6a1f80f: src/main.rs

src/main.rs:
