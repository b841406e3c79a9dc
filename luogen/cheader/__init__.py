"""Read real uapi headers with libclang: ioctl commands, records, enums and constants, exactly and
with where each is written, per architecture (see ir.py for what comes out)."""
