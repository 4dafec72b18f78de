"""Helpers for tests where several threads write at the same time, each with its own database connection.

Tests run on SQLite in memory by default, where the threads would share one connection's cache (a shared-cache
memory database locks tables, not the file, and ignores the busy timeout): nothing like a threaded gunicorn on
the SQLite file. `file_database` moves the test database into a file for one test, with the project's SQLite
options (WAL, busy timeout, BEGIN IMMEDIATE); on PostgreSQL it does nothing. Use it with
`@pytest.mark.django_db(transaction=True)`: inside one test transaction nothing races (PITFALLS.md).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import translation

T = TypeVar("T")


@pytest.fixture
def file_database(transactional_db, tmp_path):
    """On SQLite, copy the in-memory test database into a file and point the default alias at it for the test."""
    memory = connections[DEFAULT_DB_ALIAS]
    if memory.vendor != "sqlite" or not memory.is_in_memory_db():
        yield
        return
    path = tmp_path / "pont-test.sqlite3"
    memory.ensure_connection()
    target = sqlite3.connect(path)
    memory.connection.backup(target)  # as Django's parallel test runner clones SQLite databases
    target.close()
    original = connections.settings[DEFAULT_DB_ALIAS]
    file_settings = {**original, "NAME": str(path)}
    connections.settings[DEFAULT_DB_ALIAS] = file_settings  # every new thread's connection opens the file
    on_file = memory.__class__(file_settings, DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = on_file
    try:
        yield
    finally:
        on_file.close()
        connections.settings[DEFAULT_DB_ALIAS] = original
        connections[DEFAULT_DB_ALIAS] = memory  # the memory database lives on (its connection stayed open)


def run_together(calls: list[Callable[[], T]], *, timeout: float = 60) -> list[T | BaseException]:
    """Run each call in its own thread, all released at the same moment; return their results (or exceptions).

    Each thread speaks English like the tests, and closes its database connections when done.
    """
    barrier = threading.Barrier(len(calls))
    results: list[T | BaseException] = [RuntimeError("did not finish")] * len(calls)

    def run(index: int, call: Callable[[], T]) -> None:
        translation.activate("en")
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as error:  # reported to the test, never lost in the thread
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
