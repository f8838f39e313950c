"""Run functions in threads at the same moment, each with its own database connection (the
PostgreSQL concurrency tests: tests/members/test_concurrency.py,
tests/awards/test_jury_concurrency.py)."""

import threading

from django.db import close_old_connections, connection


def run_each(*functions):
    """Start every function at once (a barrier), wait for all; their results, in the order
    they finished. An exception in a thread fails the test with it."""
    barrier = threading.Barrier(len(functions))
    results, errors = [], []

    def worker(function):
        try:
            barrier.wait()
            results.append(function())
        except Exception as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return results


def run_together(function, times=2):
    return run_each(*[function] * times)
