"""What a program includes before a uapi header that counts on it, and reading a header after
it when it cannot be read alone.

The compiler's own headers come first (linux/fs.h's BLKBSZGET is `_IOR(0x12, 112, size_t)`, but
it includes no <stddef.h>); then, where the architecture has them, the C library's (linux/sctp.h
needs MSG_FIN from <sys/socket.h>). They are tried in turn, the smaller first: more of the C
library can also conflict with a header (linux/coda.h's <linux/time.h> with glibc's
<sys/time.h>).
"""

from __future__ import annotations

from .ir import HeaderFacts
from .reader import Session

FREESTANDING_PRELUDE = ("stddef.h", "stdint.h", "stdbool.h")
LIBC_PRELUDE = ("sys/types.h", "sys/time.h", "time.h", "sys/socket.h", "sys/ioctl.h")
PRELUDES = (FREESTANDING_PRELUDE, (*FREESTANDING_PRELUDE, "sys/types.h"),
            FREESTANDING_PRELUDE + LIBC_PRELUDE)  # fmt: skip


def read_one(session: Session, header: str) -> HeaderFacts:
    """The header read alone; if clang cannot compile it so, or cannot evaluate some of its
    ioctls, read after what a program would include first, when that reads more of it."""
    facts = session.read(header)
    for prelude in PRELUDES if session.chain.has_libc else PRELUDES[:1]:
        if facts.readable and not any(w.code == "unevaluated" for w in facts.warnings):
            break
        again = session.read(header, prelude)
        if again.readable and (len(again.commands) > len(facts.commands) or not facts.readable):
            facts = again
    return facts
