"""Logging an outage once, not once per call.

When Redis stops, every cache call fails; when PostgreSQL restarts, every request does. A line per
failure buries the log (15,000 warnings for 20 seconds of Redis down, measured) and hides when the
outage began and ended. An `Outage` logs the first failure, then at most one reminder per
interval with the number of failures since, and one line when the service answers again.

Each process keeps its own state: with four processes, an outage is reported four times.
"""

import logging
import threading
import time


class Outage:
    def __init__(self, service, logger, interval=60.0, clock=time.monotonic):
        self.service = service
        self.logger = logger if isinstance(logger, logging.Logger) else logging.getLogger(logger)
        self.interval = interval
        self.clock = clock
        self._lock = threading.Lock()
        self.down = False
        self.since = None
        self.failures = 0
        self._reported_at = None
        self._failures_reported = 0

    def failed(self, error):
        """Count one failure; log it only when it starts an outage or an interval has passed."""
        now = self.clock()
        with self._lock:
            self.failures += 1
            if not self.down:
                self.down, self.since, self.failures = True, now, 1
                self._reported_at, self._failures_reported = now, 1
                message, args = "%s unavailable: %s", (self.service, error)
            elif now - self._reported_at >= self.interval:
                new = self.failures - self._failures_reported
                self._reported_at, self._failures_reported = now, self.failures
                message = "%s still unavailable after %d s (%d failures since the last report): %s"
                args = (self.service, round(now - self.since), new, error)
            else:
                return
        self.logger.warning(message, *args)

    def recovered(self):
        """Say once that the service answers again; True for the call that ended the outage.
        Cheap when it never stopped (one test)."""
        if not self.down:
            return False
        now = self.clock()
        with self._lock:
            if not self.down:
                return False
            self.down = False
            duration, failures = now - self.since, self.failures
        # Info: the outage's start was the warning; its end is the good news that closes it.
        self.logger.info(
            "%s available again after %d s (%d failures).", self.service, round(duration), failures
        )
        return True
