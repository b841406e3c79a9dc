"""What the Rust and Python targets read beside the ABI model: the names, result shapes, object
kinds and layouts of the safe and raw binding layers, each spelled for both languages."""
