"""gunicorn servers for the benchmark: start on a free local port, wait, measure memory, stop.

Every server is the venv's gunicorn with the same flags (2 sync workers, bound to 127.0.0.1)
in its own session, so a Ctrl-C in the terminal reaches the harness only and the harness stops
the servers itself. `running()` stops the server whatever happens: quick shutdown (SIGINT) of
the master, then SIGKILL to its process group for any process still there after a few seconds.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from .load import fetch
from .prepare import REPO

GUNICORN = Path(sys.executable).parent / "gunicorn"
WORKERS = 2
READY_TIMEOUT = 60
STOP_TIMEOUT = 10


class ServerFailed(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, name: str, app: str, env: dict[str, str], logdir: Path):
        self.name = name
        self.app = app
        self.env = env
        self.port = free_port()
        self.log = logdir / f"gunicorn-{name.replace(' ', '-')}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            str(GUNICORN),
            self.app,
            f"--workers={WORKERS}",
            "--worker-class=sync",
            f"--bind=127.0.0.1:{self.port}",
            f"--chdir={REPO}",
            "--error-logfile=-",
            "--log-level=warning",
            # Several servers run in turn: no shared control socket in ~/.gunicorn.
            "--no-control-socket",
        ]
        with self.log.open("ab") as log:  # Django's tracebacks go to stderr: keep them
            self.process = subprocess.Popen(
                command,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, path: str = "/") -> None:
        """Wait until the server answers `path` and every worker is up."""
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self._exited():
                raise ServerFailed(f"{self.name}: gunicorn exited early.\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                status, _, _ = fetch(self.port, path)
                if status == 200 and len(self.worker_pids()) == WORKERS:
                    return
            time.sleep(0.2)
        raise ServerFailed(
            f"{self.name}: no 200 on {path} after {READY_TIMEOUT} s.\n{self.log_tail()}"
        )

    def worker_pids(self) -> list[int]:
        """The master's children: the workers (Linux /proc)."""
        pids = []
        for children in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                pids += [int(pid) for pid in children.read_text().split()]
        return sorted(pids)

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker (VmRSS), in MB."""
        sizes = []
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes.append(int(line.split()[1]) / 1024)  # kB
        return sizes

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.returncode is None:
            # Until the master is reaped its pid, which is also its process group's id, cannot
            # be reused: killing that group then reaches our workers and nothing else.
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGINT)  # gunicorn: quick shutdown
            self._wait_exit(STOP_TIMEOUT)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)  # a worker left behind, or a hang
        self.process.wait()

    def _exited(self) -> bool:
        """Has the master exited? Checked without reaping it (see stop)."""
        info = os.waitid(os.P_PID, self.process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        return info is not None

    def _wait_exit(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._exited() and time.monotonic() < deadline:
            time.sleep(0.05)

    def log_tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log.read_text().splitlines()[-lines:])
        except OSError:
            return "(no gunicorn log)"


@contextlib.contextmanager
def running(server: Server, ready_path: str = "/") -> Iterator[Server]:
    try:
        server.start()
        server.wait_ready(ready_path)
        yield server
    finally:
        server.stop()
