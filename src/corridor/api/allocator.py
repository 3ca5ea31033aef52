"""A fixed threshold above which glibc's malloc maps each allocation apart from its heap.

glibc serves an allocation of at least its mmap threshold (128 KiB at start) with a memory map
of its own, and frees it by unmapping it. But each time such a block is freed, glibc raises the
threshold to that block's size, up to 32 MiB, so after the first large query a server's arrays of
a few megabytes (a search's labels, a Monte Carlo's samples) come from the heap instead. There
they interleave with long-lived objects, and the holes they leave cannot be given back: the
soak measured workers rising a megabyte or more a minute that way while their live objects
stayed level (docs/soak.md, "Which allocator still grows"). Fixing the threshold turns off that
adjustment, so large blocks keep going back to the system when freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import platform

M_MMAP_THRESHOLD = -3  # mallopt's parameter number in glibc's malloc.h


def fix_mmap_threshold(nbytes: int) -> bool:
    """Fix glibc's mmap threshold at `nbytes` for this process; True when it was set.

    0 leaves glibc's adjusting threshold alone; on another C library nothing is done.

    >>> fix_mmap_threshold(0)
    False
    """
    if nbytes == 0 or platform.libc_ver()[0] != "glibc":
        return False
    name = ctypes.util.find_library("c") or "libc.so.6"
    mallopt = ctypes.CDLL(name).mallopt
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, nbytes))
