"""The harness of the concurrency tests: the same work in several threads, released at once.

Each thread has its own test client (so its own session and database connection), against the
SQLite file or PostgreSQL (TEST_DATABASE_URL): the same guarantees must hold on both.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from flask.testing import FlaskClient

T = TypeVar("T")


def run_together(
    clients: Sequence[FlaskClient], work: Callable[[FlaskClient, int], T], timeout: float = 120
) -> list[T]:
    """Call `work(client, index)` in one thread per client, all released at the same moment.

    Returns the results in the order of `clients`; fails the test with every error a thread
    raised, or if a thread is still running after `timeout` seconds.
    """
    barrier = threading.Barrier(len(clients))
    results: dict[int, T] = {}
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(client: FlaskClient, index: int) -> None:
        try:
            barrier.wait(timeout=30)
            result = work(client, index)
            with lock:
                results[index] = result
        except BaseException as error:  # reported to the test below
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=run, args=(c, i)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), f"still running after {timeout} s"
    assert not errors, errors
    return [results[index] for index in range(len(clients))]
