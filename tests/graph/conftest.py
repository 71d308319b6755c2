"""Graph test fixtures: publish counting at the Celery boundary, a dead broker, a real worker,
and the OpenAlex sample loaded as a small scholarly world."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from celery.signals import before_task_publish
from django.conf import settings

from bzpeer.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
DEAD_BROKER = "redis://127.0.0.1:1/0"


def reset_broker_pools() -> None:
    """Drop pooled broker connections so the next publish uses the current broker_url."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def purge_queue() -> int:
    """Empty the Celery queue on the test broker (our own Redis DB or filesystem folder)."""
    with celery_app.connection_for_write() as connection:
        return celery_app.control.purge(connection=connection) or 0


def queued_messages() -> int:
    """Messages waiting in the default queue on the real broker."""
    with celery_app.connection_for_write() as connection, connection.channel() as channel:
        return channel.queue_declare(queue="celery", passive=True).message_count


@pytest.fixture
def publishes():
    """Names of the tasks published during the test, recorded by Celery's own signal."""
    published: list[str] = []
    lock = threading.Lock()

    def record(sender=None, **_kwargs):
        with lock:
            published.append(sender)

    before_task_publish.connect(record, weak=False)
    purge_queue()
    yield published
    before_task_publish.disconnect(record)
    purge_queue()


@pytest.fixture
def dead_broker():
    """Point the Celery app at a port where nothing listens."""
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = DEAD_BROKER
    reset_broker_pools()
    yield DEAD_BROKER
    celery_app.conf.broker_url = original
    reset_broker_pools()


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    """A real `celery -A bzpeer worker --pool=solo` on the test broker and the test database."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker test needs PostgreSQL (DATABASE_URL)")
    if not settings.REDIS_URL:
        pytest.skip("the worker test needs Redis (REDIS_URL)")
    purge_queue()
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_ENV": "test",
    }
    celery = Path(sys.executable).with_name("celery")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(celery),
                "-A",
                "bzpeer",
                "worker",
                "--pool=solo",
                "-c",
                "1",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while "ready." not in log_path.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"The Celery worker did not start:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.2)
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    purge_queue()
