"""Cut a query worker off the network, so that no query can make the service fetch a URL.

The query engines follow ``SERVICE`` and ``LOAD`` with no switch to turn that off, and the parser
that checks a query (rdflib) is not the engine's (Oxigraph): safety must not depend on the two
agreeing. A worker therefore enters a new, empty network namespace (``unshare(CLONE_NEWNET)``)
before it opens the store: only a loopback interface that is down, so every ``connect()`` fails with
``ENETUNREACH``, 127.0.0.1 included. Where the process may not do that as root it tries a new user
namespace as well (``CLONE_NEWUSER``, allowed to unprivileged users by most Linux kernels). Where the
kernel refuses both, :func:`isolate_network` raises :class:`SandboxUnavailable`, and the service
refuses to start unless the operator opts out (``--no-sandbox`` or ``KG_SANDBOX=off``).

Python 3.11 has no ``os.unshare``; the libc function is called through ctypes.
"""

from __future__ import annotations

import ctypes
import errno
import os

from kg.errors import SandboxUnavailable

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000

#: what to tell an operator whose kernel refuses the sandbox
OPT_OUT = "pass --no-sandbox (or set KG_SANDBOX=off) to run queries with network access at your own risk"


def isolate_network() -> None:
    """Move this process into a new network namespace with no usable interface; raise if impossible.

    Call it in a single-threaded process (a fresh worker) before anything opens a socket.
    """
    if not hasattr(os, "fork") or not os.uname().sysname == "Linux":
        raise SandboxUnavailable(
            f"cannot cut query workers off the network: network namespaces need Linux; {OPT_OUT}")
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        unshare = libc.unshare
    except (OSError, AttributeError) as e:
        raise SandboxUnavailable(f"cannot cut query workers off the network (no unshare in libc: {e}); "
                                 f"{OPT_OUT}") from e
    if unshare(CLONE_NEWNET) == 0:
        return
    first = ctypes.get_errno()
    if first == errno.EPERM and unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        return
    reason = os.strerror(first)
    raise SandboxUnavailable(
        f"cannot cut query workers off the network: the kernel refused unshare(CLONE_NEWNET) ({reason}); "
        f"run as root or enable user namespaces, or {OPT_OUT}")


def network_namespace(pid: int | str = "self") -> str:
    """The network namespace a process is in (``net:[4026531840]``), to tell two processes' apart."""
    return os.readlink(f"/proc/{pid}/ns/net")
