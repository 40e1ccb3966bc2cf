"""What a query worker may do to the machine it runs on: nothing but read the store.

Why: a worker evaluates whatever text a stranger sends. The lexer refuses SERVICE and
the limits refuse queries that crash the engine, but a defence that is only a check over
text is one bug away from a hole. So, in the worker process itself, before it takes a job:

* **No network** (when federation is off): the worker moves into a network namespace of
  its own, which has no interface but a loopback that is down. Even a query the lexer
  misread cannot reach this machine's network or anything beyond it. This needs
  CAP_SYS_ADMIN (root, as in CI) or unprivileged user namespaces; where neither is
  allowed the server says so at start and relies on the lexer.
* **Bounded memory**: ``RLIMIT_AS`` caps the worker's address space, so a query that
  would grow it to many gigabytes (a cross join under ORDER BY) fails an allocation and
  the worker dies; the server answers 503 and starts another.
* **Dies with its parent**: ``PR_SET_PDEATHSIG`` kills the worker when the server process
  dies, even by SIGKILL, so no orphan keeps burning CPU and holding the store open.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal

_PR_SET_PDEATHSIG = 1
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def die_with_parent(parent_pid: int) -> None:
    """Ask the kernel for SIGKILL when the parent dies; exit now if it is already gone."""
    _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(0)


def cut_network() -> bool:
    """Move this process into a network namespace of its own; False where not allowed."""
    libc = _libc()
    if libc.unshare(_CLONE_NEWNET) == 0:
        return True
    return libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0


def address_space() -> int:
    """Bytes of address space this process has mapped now (VmSize)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def limit_memory(extra_bytes: int) -> None:
    """Allow ``extra_bytes`` of address space beyond what is mapped now (0: no limit)."""
    if extra_bytes > 0:
        limit = address_space() + extra_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
