"""Pont served as `make run` serves it, for the benchmarks: gunicorn (2 workers × 4 threads) on a free port,
a signed-in session made with Django's own session store, timed requests, a summary of timings.

Used by bench/people_list.py and bench/indicators.py (scripts, never tests).
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def signed_in_session(username: str) -> str:
    """A session cookie for `username` with a confirmed second factor (what the login and the code page
    leave behind)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pont.core.second_factor import VERIFIED_AT

    user = get_user_model().objects.get(username=username)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[VERIFIED_AT] = int(time.time())
    session.create()
    return session.session_key or ""


def timed(url: str, cookie: str) -> tuple[float, int]:
    """Return (milliseconds, HTTP status) of one GET with the session cookie."""
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})  # noqa: S310 (localhost)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=600) as answer:  # noqa: S310
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    return round((time.perf_counter() - started) * 1000, 1), status


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"median_ms": round(statistics.median(ordered), 1), "p90_ms": ordered[int(0.9 * (len(ordered) - 1))],
            "min_ms": ordered[0], "max_ms": ordered[-1], "n": len(ordered)}


@contextlib.contextmanager
def gunicorn(database_url: str, var_dir: Path, log: Path, **environment: str):
    """Serve Pont on a free port for the duration of the block; yield its base URL once /health/ answers."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PONT_VAR_DIR": str(var_dir), **environment}
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [str(ROOT / ".venv/bin/gunicorn"), "pont.wsgi:application", "--pythonpath", str(ROOT / "src"),
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", "--timeout", "600"],
        env=env, stdout=subprocess.DEVNULL, stderr=log.open("a"))
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if timed(f"{base}/health/", "")[1] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def interleaved(urls: dict[str, tuple[str, str]], rounds: int) -> dict:
    """Time every URL (name → (url, session cookie)) once per round, in turn, the trivial view among them:
    the first request of each apart (cold caches), then `rounds` rounds; return first times, statuses and
    summaries."""
    first = {name: timed(url, cookie)[0] for name, (url, cookie) in urls.items()}
    times: dict[str, list[float]] = {name: [] for name in urls}
    statuses: dict[str, set[int]] = {name: set() for name in urls}
    for _ in range(rounds):
        for name, (url, cookie) in urls.items():
            ms, status = timed(url, cookie)
            times[name].append(ms)
            statuses[name].add(status)
    return {"first_request_ms": first, "statuses": {k: sorted(v) for k, v in statuses.items()},
            "interleaved": {k: summary(v) for k, v in times.items()}}


def collectstatic(var_dir: Path) -> None:
    """As `make run` does before serving (the manifest the pages' static URLs need)."""
    env = {**os.environ, "PONT_VAR_DIR": str(var_dir)}
    subprocess.run([str(ROOT / ".venv/bin/python"), str(ROOT / "manage.py"), "collectstatic",  # noqa: S603
                    "--noinput", "-v", "0"], env=env, check=True)
