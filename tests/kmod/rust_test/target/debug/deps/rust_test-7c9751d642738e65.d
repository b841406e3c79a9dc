/work/main/tests/kmod/rust_test/target/debug/deps/rust_test-7c9751d642738e65.d: src/main.rs Cargo.toml

/work/main/tests/kmod/rust_test/target/debug/deps/librust_test-7c9751d642738e65.rmeta: src/main.rs Cargo.toml

src/main.rs:
Cargo.toml:

# env-dep:CLIPPY_ARGS=-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__
# env-dep:CLIPPY_CONF_DIR
