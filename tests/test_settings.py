"""Settings read typed environment variables and fail loudly, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k" * 20 + "-production-secret-key-for-the-check-only-0123456789",
    "ALLOWED_HOSTS": "bzpeer.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/bzpeer",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    dropped = {*PRODUCTION_ENV, "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    """`manage.py check --deploy` reports nothing with production settings."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean; use true or false."),
        ({"GRAPH_POLL_BUDGET": "ten"}, "GRAPH_POLL_BUDGET='ten' is not a whole number."),
        (
            {"DJANGO_ENV": "staging"},
            "DJANGO_ENV='staging' is not one of development, production, test.",
        ),
        (
            {"REDIS_URL": "localhost:6379"},
            "REDIS_URL='localhost:6379' must start with redis:// or rediss://.",
        ),
        (
            {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"},
            "Set the environment variable SECRET_KEY.",
        ),
        (
            PRODUCTION_ENV | {"ALLOWED_HOSTS": ""},
            "Set ALLOWED_HOSTS (comma-separated) in production.",
        ),
    ],
)
def test_settings_bad_values_name_the_variable(env, message):
    """A bad value stops start-up with ImproperlyConfigured naming the variable."""
    result = _manage("check", **env)

    assert result.returncode == 1
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in result.stderr


def test_production_csp_has_no_unsafe_inline():
    """The Content Security Policy allows only our own scripts and styles."""
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_CSP)",
        **PRODUCTION_ENV,
    )

    assert result.returncode == 0, result.stderr
    assert "unsafe-inline" not in result.stdout
    assert "'script-src': [<CSP.SELF: \"'self'\">]" in result.stdout
