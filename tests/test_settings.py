"""Settings from the environment: bad values are refused with their name, and production values pass Django's
deployment checks (`manage.py check --deploy`). Each case runs manage.py in a fresh process with its own env."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from pont.env import env_bool, env_choice, env_header, env_int, env_networks

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db  # not used here, but tests/conftest.py's autouse fixture needs the test database


def manage(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DEBUG", "SECURE_COOKIES", "DATABASE_URL", "DJANGO_SETTINGS_MODULE",
                                  "DJANGO_ALLOW_ASYNC_UNSAFE")}  # the browser tests' conftest sets it
    environment.update(PONT_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **env)
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=environment, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("name", "value", "says"), [
    ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean: write True or False."),
    ("AXES_FAILURE_LIMIT", "five", "AXES_FAILURE_LIMIT='five' is not a whole number."),
    ("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto", "SECURE_PROXY_SSL_HEADER needs TRUSTED_PROXIES"),
])
def test_manage_py_refuses_a_value_that_does_not_parse_by_name(tmp_path, name, value, says):
    result = manage("check", tmp_path=tmp_path, **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and says in result.stderr, result.stderr[-500:]


@pytest.mark.parametrize(("helper", "value", "says"), [
    (lambda: env_bool("X", False), "yes please", "X='yes please' is not a boolean"),
    (lambda: env_int("X", 5, minimum=1), "0", "X=0 is too small: at least 1."),
    (lambda: env_int("X", 5, maximum=9), "10", "X=10 is too large: at most 9."),
    (lambda: env_int("X", 0), "1e6", "X='1e6' is not a whole number."),
    (lambda: env_networks("X"), "10.0.0.1,proxy.local", "X: 'proxy.local' is not an IP address or network"),
    (lambda: env_choice("X", "WARNING", ("INFO", "WARNING")), "LOUD", "X='LOUD' is not one of INFO, WARNING."),
    (lambda: env_header("X"), "X-Forwarded-Proto: https", "is not an HTTP header name"),
])
def test_each_helper_refuses_what_it_cannot_read(monkeypatch, helper, value, says):
    monkeypatch.setenv("X", value)
    with pytest.raises(ImproperlyConfigured) as error:
        helper()
    assert says in str(error.value)


@pytest.mark.parametrize(("helper", "value", "expected"), [
    (lambda: env_bool("X", False), "TRUE", True), (lambda: env_bool("X", True), "off", False),
    (lambda: env_bool("X", True), "", True), (lambda: env_int("X", 5, minimum=1), " 7 ", 7),
    (lambda: env_networks("X"), "10.0.0.1, 2001:db8::/32", ["10.0.0.1/32", "2001:db8::/32"]),
    (lambda: env_header("X"), "X-Forwarded-Proto", "HTTP_X_FORWARDED_PROTO"),
])
def test_each_helper_reads_good_values_and_takes_the_default_when_unset(monkeypatch, helper, value, expected):
    monkeypatch.setenv("X", value)
    assert helper() == expected


def test_good_spellings_of_booleans_are_accepted(tmp_path):
    result = manage("check", tmp_path=tmp_path, DEBUG="false", SECURE_COOKIES="0", AXES_FAILURE_LIMIT=" 7 ")
    assert result.returncode == 0, result.stderr[-500:]


PRODUCTION = {
    "DEBUG": "False",
    "SECURE_COOKIES": "True",
    "SECRET_KEY": "k3Zt9-" + "x7Q2pL8vN4mR6sW1yB5cF0hJ" * 3,
    "ALLOWED_HOSTS": "pont.example.eu",
    "TRUSTED_PROXIES": "10.0.0.0/8",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
}


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_same_without_https_is_warned_about(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path,
                    **{**PRODUCTION, "SECURE_COOKIES": "False"})
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):  # HSTS, redirect, cookies
        assert check in result.stderr
