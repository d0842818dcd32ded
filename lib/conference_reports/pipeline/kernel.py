"""The kernels a job starts: on IPC sockets, dying with the process that started them, killable at once.

Process-local state: the pid of the process running the batch (it names the IPC files, so a stopped
run can remove them) and the kernel managers of the job in progress.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import os
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

PR_SET_PDEATHSIG = 1
PARENT_ENV = "CONFERENCE_REPORTS_KERNEL_PARENT"  # the pid a kernel started by kernel_start dies with

_run_id: int = os.getpid()
_kernels: list[Any] = []
_tag: str | None = None  # what kernels started now are tagged with (tag_kernels)


def set_run_id(pid: int) -> None:
    """The pid of the process running the batch (workers learn it at start)."""
    global _run_id
    _run_id = pid


def ipc_files() -> list[Path]:
    """This run's kernel files in the temp dir."""
    return list(Path(tempfile.gettempdir()).glob(f"cr-{_run_id}-*"))


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's prctl on Linux (looked up before any fork), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def die_with_parent(sig: int) -> bool:
    """Ask Linux to send `sig` to this process when its parent exits; False where that is not possible."""
    import ctypes

    prctl = _prctl()
    return prctl is not None and prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(sig), 0, 0, 0) == 0


def die_with(parent: int) -> None:
    """SIGKILL this process when `parent` exits; exit now if it already has (kernel_start's first step)."""
    die_with_parent(signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _kernel_preexec() -> Callable[[], None] | None:
    """For the Popen of a kernel command other than kernel_start's: SIGKILL the kernel when the process
    that starts it dies. Python run between fork and exec is unsafe beside threads (a signal arriving
    there once printed a traceback), so the runner's own kernels do this themselves (`die_with`)."""
    if _prctl() is None:
        return None
    parent = os.getpid()

    def preexec() -> None:
        die_with(parent)

    return preexec


def tag_kernels(tag: str | None) -> None:
    """Kernels started from now on carry `tag` (a cluster run's key), so that run can stop just its own."""
    global _tag
    _tag = tag


def stop_kernels(tag: str | None = None) -> None:
    """Kill this process's kernels (each leads its own process group), or only those tagged `tag`, and
    remove their socket files."""
    chosen = [km for km in _kernels if tag is None or getattr(km, "cr_tag", None) == tag]
    for km in chosen:
        proc = getattr(getattr(km, "provisioner", None), "process", None)
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(OSError):
                group = os.getpgid(proc.pid)
                if group == proc.pid and group != os.getpgrp():
                    os.killpg(group, signal.SIGKILL)
                else:
                    os.kill(proc.pid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                proc.wait(5)
        for cleanup in ("cleanup_connection_file", "cleanup_ipc_files"):
            with contextlib.suppress(Exception):
                getattr(km, cleanup)()
        # jupyter_client removes only the files it has marked written; a signal between the writing and
        # the marking left one behind. Every file of this kernel starts with its own unique name.
        ip = km.ip if km.trait_has_value("ip") else ""  # asking for it unset would make up a new name
        if os.path.basename(ip).startswith(f"cr-{_run_id}-"):
            for path in glob.glob(glob.escape(ip) + "*"):
                with contextlib.suppress(OSError):
                    os.remove(path)
        with contextlib.suppress(ValueError):  # stopped by a cluster run's stop_remote meanwhile
            _kernels.remove(km)


LAUNCHER = "ipykernel_launcher"


def without_debugger(command: list[str]) -> list[str]:
    """The kernel spec's command started through `kernel_start` (no debugger, frozen modules on), when
    it is ipykernel's usual `python [-X...] -m ipykernel_launcher ...`; any other command as it is."""
    if LAUNCHER not in command or command[command.index(LAUNCHER) - 1] != "-m":
        return command
    at = command.index(LAUNCHER)
    python = [a for a in command[: at - 1] if a != "-Xfrozen_modules=off"]
    return [*python, "-m", "conference_reports.pipeline.kernel_start", *command[at + 1:]]


@functools.cache
def ipc_kernel_manager() -> type:
    """A kernel manager on IPC sockets in the temp dir: no TCP port races between parallel kernels,
    and no "running over TCP without encryption" warning on every run. Its files are named
    `cr-<run pid>-<id>-ipc*`; the kernel dies with the process that starts it; no SIGINT before
    a shutdown (the kernel would log "KeyboardInterrupt caught in kernel"); it starts without its
    debugger (`kernel_start`)."""
    import uuid

    from jupyter_client import AsyncKernelManager
    from traitlets import default

    class IpcKernelManager(AsyncKernelManager):  # type: ignore[misc]
        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

        @default("ip")
        def _ip_default(self) -> str:
            return os.path.join(tempfile.gettempdir(), f"cr-{_run_id}-{uuid.uuid4().hex[:12]}-ipc")

        @default("connection_file")
        def _connection_file_default(self) -> str:
            return f"{self.ip}.json"

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.cr_tag = _tag
            _kernels.append(self)  # before its connection file exists: a signal can always clean up

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            started = without_debugger(kernel_cmd)
            if started != kernel_cmd:  # kernel_start asks Linux itself: no Python between fork and exec
                kw["env"] = {**(kw.get("env") or os.environ), PARENT_ENV: str(os.getpid())}
            elif (preexec := _kernel_preexec()) is not None:
                kw.setdefault("preexec_fn", preexec)
            await super()._async_launch_kernel(started, **kw)

        async def _async_interrupt_kernel(self) -> None:
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return IpcKernelManager
