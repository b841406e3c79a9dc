"""luogen's runtime: the source files that do not vary with the spec, each copied whole into the
outputs that need it (the way bindgen emits its bitfield unit). Each is real source, linted and
tested as such: `python_runtime.py` (every Python package's `_runtime.py`), `runtime.rs` (every
crate's `src/runtime.rs`) and `luogen_dispatch.h` (the kernel dispatch core of every kernel
folder)."""
