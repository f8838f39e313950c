"""The services around the app that `make prodcheck` starts, stops and breaks on purpose.

- `MailSink`: a local SMTP server (aiosmtpd) that keeps every message it accepts, and can be
  stopped and started again (the mail server's outage) without losing what it holds.
- `Gate`: a TCP relay in front of moto's S3 server. Closing the gate is the storage's outage:
  moto keeps its objects in memory only, so stopping moto itself would lose them.
- `restart_postgresql()`, `stop_redis()` / `start_redis()`: the machine's own servers, with the
  commands CI's machine uses (see .ci/run).
"""

import asyncio
import email
import os
import socket
import subprocess
import threading
import time
from email.policy import default as default_policy


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailSink:
    def __init__(self, port):
        self.port = port
        self.messages = []  # (envelope recipients, email.message.EmailMessage)
        self._controller = None
        self._lock = threading.Lock()

    def start(self):
        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                message = email.message_from_bytes(envelope.content, policy=default_policy)
                with sink._lock:
                    sink.messages.append((list(envelope.rcpt_tos), message))
                return "250 OK"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def received(self):
        with self._lock:
            return list(self.messages)


class Gate:
    """Relays 127.0.0.1:`port` to `target`; `close()` refuses every new connection and cuts
    those open, `open()` lets them through again."""

    def __init__(self, port, target_port):
        self.port, self.target_port = port, target_port
        self.is_open = True
        self._loop = asyncio.new_event_loop()
        self._writers = set()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def start(self):
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)
        return self

    async def _serve(self):
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)

    async def _relay(self, reader, writer):
        if not self.is_open:
            writer.transport.abort()
            return
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                "127.0.0.1", self.target_port
            )
        except OSError:
            writer.transport.abort()
            return
        self._writers.update({writer, upstream_writer})

        async def pipe(source, sink):
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))
        self._writers.difference_update({writer, upstream_writer})

    def close(self):
        self.is_open = False

        def cut():
            for writer in list(self._writers):
                writer.transport.abort()

        self._loop.call_soon_threadsafe(cut)

    def open(self):
        self.is_open = True


def as_root(command):
    if os.geteuid() != 0:
        command = ["sudo", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True)


def postgresql_version():
    return sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(x) for x in v.split(".")])[-1]


def restart_postgresql():
    """A real restart of the machine's PostgreSQL (every connection is cut)."""
    as_root(["pg_ctlcluster", "--skip-systemctl-redirect", postgresql_version(), "main", "restart"])


def postgresql_answers():
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode == 0


def stop_redis():
    subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"], check=False
    )


def start_redis():
    # The command CI's machine starts Redis with (nothing kept on disk).
    command = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1"]
    command += ["--port", "6379", "--save", "", "--appendonly", "no"]
    if os.path.isdir("/var/lib/redis") and os.path.isdir("/var/log/redis"):
        command += ["--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"]
    as_root(command)


def redis_answers():
    return (
        subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"], capture_output=True, text=True
        ).stdout.strip()
        == "PONG"
    )


def wait_until(check, timeout, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return False
