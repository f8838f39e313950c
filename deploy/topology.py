"""The topology of `make prod`, started for `make prodcheck`: honcho runs the proxy, the second
app server, the worker and the scheduler from deploy/Procfile; the first app server runs apart,
with the same command line, so that the check can kill it (honcho stops every process when one
exits, as a supervisor of a single machine should)."""

import os
import re
import shlex
import signal
import subprocess
import time

from . import prod

HONCHO_PROCESSES = ("proxy", "web2", "worker", "scheduler")


def procfile_command(name):
    for line in prod.PROCFILE.read_text().splitlines():
        match = re.match(rf"^{name}:\s*(.+)$", line)
        if match:
            return match.group(1)
    raise KeyError(name)


class Topology:
    def __init__(self, env, log_dir):
        self.env = env
        self.log_dir = log_dir
        self.honcho = None
        self.web1 = None

    def _log(self, name):
        return open(self.log_dir / f"{name}.log", "ab")

    def start(self):
        self.honcho = subprocess.Popen(
            [str(prod.BIN / "honcho"), "start", "-f", str(prod.PROCFILE), *HONCHO_PROCESSES],
            cwd=prod.ROOT,
            env=self.env,
            stdout=self._log("honcho"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.start_web1()
        return self

    def start_web1(self):
        # The Procfile's own line, through a shell as honcho runs it (${WEB1_PORT:-8001}…).
        self.web1 = subprocess.Popen(
            ["/bin/sh", "-c", f"exec {procfile_command('web1')}"],
            cwd=prod.ROOT,
            env=self.env,
            stdout=self._log("web1"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill_web1(self):
        """SIGKILL to the first app server's master and workers: a crashed machine."""
        os.killpg(self.web1.pid, signal.SIGKILL)
        self.web1.wait(timeout=10)

    def worker_pids(self, name):
        """The gunicorn workers of app server `name` (ess-web1, ess-web2): the processes named
        after it whose parent is named after it too (the master). gunicorn titles them
        « gunicorn: worker [name] » when setproctitle is installed, else keeps the command line."""
        output = subprocess.run(
            ["pgrep", "-f", f"(\\[{name}\\]|--name {name})"], capture_output=True, text=True
        ).stdout
        pids = {int(pid) for pid in output.split()}
        return sorted(pid for pid in pids if _parent(pid) in pids)

    def alive(self):
        return self.honcho.poll() is None

    def stop(self):
        for process in (self.web1, self.honcho):
            if process is None or process.poll() is not None:
                continue
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        deadline = time.monotonic() + 20
        for process in (self.web1, self.honcho):
            if process is None:
                continue
            try:
                process.wait(timeout=max(1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _parent(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return 0
    return 0


def shell_quote(args):
    return " ".join(shlex.quote(a) for a in args)
