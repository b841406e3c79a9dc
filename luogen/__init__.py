"""luogen: one YAML spec of an ioctl ABI in, its uapi header, dispatch, bindings and docs out."""

__version__ = "0.1.0"
