"""luogen: one YAML spec of an ioctl ABI in, its uapi header, dispatch, bindings and docs out."""

__version__ = "0.1.0"

from .bundle import install as _install  # after __version__, which it compares

_install(__version__, __path__[0])  # an installed wheel's modules, from one file (bundle.py)
