"""A serving process fixes glibc's mmap threshold, so large blocks keep being mapped apart from
the heap after a larger one was freed (`mmap_threshold_bytes`, corridor.api.allocator)."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from corridor.api import Settings
from corridor.errors import CorridorError

# Frees an 8 MiB block (glibc would then raise its own threshold to 8 MiB), allocates 1 MiB and
# prints whether the threshold was fixed and how many mapped blocks that allocation added.
PROBE = """
import ctypes, sys
from corridor.api.allocator import fix_mmap_threshold
names = "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()
class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in names]
libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
fixed = fix_mmap_threshold(int(sys.argv[1]))
libc.free(libc.malloc(8 << 20))
before = libc.mallinfo2().hblks
block = libc.malloc(1 << 20)
print(fixed, libc.mallinfo2().hblks - before)
"""

glibc_only = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt")


def _probe(threshold: int) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(threshold)], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@glibc_only
def test_a_fixed_threshold_maps_a_large_block_after_a_larger_one_was_freed() -> None:
    assert _probe(256 * 1024) == "True 1"


@glibc_only
def test_without_it_glibc_raises_its_threshold_and_the_block_lands_in_the_heap() -> None:
    assert _probe(0) == "False 0"


def test_the_server_fixes_it_by_default() -> None:
    assert 0 < Settings().mmap_threshold_bytes <= 1024 * 1024


@pytest.mark.parametrize("value", [-1, True, 0.5, 32 * 2**20 + 1])
def test_the_threshold_has_a_range(value: object) -> None:
    with pytest.raises(CorridorError, match="mmap_threshold_bytes"):
        Settings(mmap_threshold_bytes=value)  # type: ignore[arg-type]
