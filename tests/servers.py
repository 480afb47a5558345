"""Real servers for tests and the bench: a free port, gunicorn on it, wait until it answers.

One helper for every place that serves the project over HTTP: the multi-process cache
tests (tests/test_cache_processes.py), the browser tests (tests/e2e/conftest.py) and the
bench scripts (bench/run.py, bench/load_publish.py, bench/faults.py). It imports nothing
from Django or the project, so that ``python bench/run.py`` can use it with only the
project root on ``sys.path``.

Hand-written (a few lines of ``subprocess``): pytest-django's ``live_server`` is one
thread of Django's development server in the test process, and the point of these callers
is the real thing — gunicorn with several worker processes and production settings.
"""

import atexit
import itertools
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def site_environment(directory):
    """The environment of a throw-away reference site served from ``directory``.

    Its own SQLite file, media, static and cache folders (the on-disk cache is shared by
    the site's processes; add ``REDIS_URL`` to share Redis instead), no API rate limit.
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.gunicorn_settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{Path(directory) / 'db.sqlite3'}",
        "MEDIA_ROOT": str(Path(directory) / "media"),
        "STATIC_ROOT": str(Path(directory) / "static"),
        # The site's own on-disk cache (without Redis): never another test's or the bench's.
        "NEWSDESK_CACHE_DIR": str(Path(directory) / "cache"),
        "NEWSDESK_API_RATE": "",
        # Tasks run in the process that enqueues them; a test that starts the worker
        # (``worker()`` below) sets TASKS_BACKEND=database, as make run and production do.
        "TASKS_BACKEND": "immediate",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    return env


# --- Migrated databases, built once per test process --------------------------------------
# A throw-away site used to run ``manage.py migrate`` itself: about 15 s of CPU each, a
# dozen times per suite. Now each test process keeps one template (a copy of its test
# database, or one migrated on first use outside pytest-django) and every site gets a
# copy of it: a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL. Which
# one follows the suite's own ``DATABASE_URL``, so that the suite's PostgreSQL run serves
# these sites (the cache fault tests, the worker's) from PostgreSQL too.

_templates = {}
_numbers = itertools.count()


def _postgres_server():
    """The suite's PostgreSQL URL without its database name, or None on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    return url.rsplit("/", 1)[0]


def _postgres(server, *statements):
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def keep_test_database_as_template():
    """Make a copy of the suite's test database, just migrated by pytest-django and not yet
    used by a test, this process's template (``tests/conftest.py`` calls it once the test
    database exists): the same migrations, so no second ``migrate`` per process.

    SQLite: the in-memory test database is copied to a file (``sqlite3``'s backup).
    PostgreSQL: ``CREATE DATABASE … TEMPLATE`` of the test database, which needs its
    connections closed first (Django opens a new one on the next query).
    """
    from django.db import connection, connections

    server = _postgres_server()
    if server in _templates:
        return
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    if connection.vendor == "sqlite" and server is None:
        import sqlite3

        connection.ensure_connection()
        target = sqlite3.connect(folder / "db.sqlite3")
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        _templates[None] = f"sqlite:///{folder / 'db.sqlite3'}"
    elif connection.vendor == "postgresql" and server is not None:
        name = f"newsdesk_template_{os.getpid()}"
        source = connection.settings_dict["NAME"]
        connections.close_all()
        _postgres(
            server,
            f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
            f"CREATE DATABASE {name} TEMPLATE {source}",
        )
        atexit.register(_postgres, server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        _templates[server] = f"{server}/{name}"


def _template(server):
    """The URL of this process's migrated template database (built on first use, unless
    ``keep_test_database_as_template`` made it)."""
    if server in _templates:
        return _templates[server]
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    if server is None:
        url = f"sqlite:///{folder / 'db.sqlite3'}"
    else:
        name = f"newsdesk_template_{os.getpid()}"
        _postgres(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
        atexit.register(_postgres, server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        url = f"{server}/{name}"
    env = {**site_environment(folder), "DATABASE_URL": url}
    manage(env, "migrate", "--noinput", "-v0")
    _templates[server] = url
    return url


def migrated_site(directory, **environment):
    """``site_environment(directory)`` with a fresh database that is already migrated.

    ``environment`` is added to it (``REDIS_URL=…``, ``TASKS_BACKEND="database"``).
    """
    env = {**site_environment(directory), **environment}
    server = _postgres_server()
    template = _template(server)
    if server is None:
        shutil.copyfile(template.removeprefix("sqlite:///"), Path(directory) / "db.sqlite3")
        return env
    name = f"newsdesk_site_{os.getpid()}_{next(_numbers)}"
    template_name = template.rsplit("/", 1)[1]
    _postgres(
        server,
        f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
        f"CREATE DATABASE {name} TEMPLATE {template_name}",
    )
    atexit.register(_postgres, server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return {**env, "DATABASE_URL": f"{server}/{name}"}


def manage(env, *args, timeout=300):
    """``manage.py *args`` in a process of its own; its output, or an error with its stderr."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def free_port(host=HOST):
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def redis_url(database=7):
    """A Redis URL on loopback with a database of this test process's own.

    Under pytest-xdist every worker (gw0, gw1, ...) gets ``database`` + its number, so
    that tests flushing or mirroring into Redis never see another worker's keys.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = int(worker.removeprefix("gw") or 0)
    return f"redis://{HOST}:6379/{(database + number) % 16}"


def wait_until_up(url, process, timeout=60):
    """Poll ``url`` until it answers 2xx (redirects followed); fail if ``process`` exits."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = None
        if status is not None and 200 <= status < 300:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"server at {url} did not come up in {timeout}s (last: {status})")
        time.sleep(0.2)


class Gunicorn:
    """gunicorn serving ``site_project.wsgi`` on a free loopback port.

    ``start()`` returns once ``ready_path`` answers; ``base`` is then ``http://127.0.0.1:N``.
    ``stop()`` sends SIGTERM (graceful shutdown), then kills after ``stop_timeout`` seconds.
    """

    def __init__(
        self,
        env,
        *,
        workers=2,
        timeout=60,
        ready_path="/healthz",
        start_timeout=60,
        stop_timeout=20,
        extra_args=(),
        quiet=False,
    ):
        self.env = env
        self.workers, self.timeout = workers, timeout
        self.ready_path, self.start_timeout, self.stop_timeout = (
            ready_path,
            start_timeout,
            stop_timeout,
        )
        self.extra_args = list(extra_args)
        self.quiet = quiet
        self.process = None
        self.port = None
        self.base = None

    def start(self):
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        output = subprocess.DEVNULL if self.quiet else None
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "site_project.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                str(self.timeout),
                *self.extra_args,
            ],
            env=self.env,
            cwd=ROOT,
            stdout=output,
            stderr=output,
        )
        try:
            wait_until_up(self.base + self.ready_path, self.process, self.start_timeout)
        except BaseException:
            self.stop()
            raise
        return self.base

    def stop(self):
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@contextmanager
def gunicorn(env, **options):
    """``with gunicorn(env, workers=2) as base:`` — see :class:`Gunicorn` for ``options``."""
    server = Gunicorn(env, **options)
    try:
        yield server.start()
    finally:
        server.stop()


@contextmanager
def worker(env, *args, stop_timeout=20, output=None):
    """``manage.py newsdesk_worker *args`` in a process of its own while the block runs.

    The task worker that ``make run`` starts beside the web server (and production runs as
    its own process); stopped with SIGTERM (graceful), killed after ``stop_timeout``.
    """
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "newsdesk_worker", "--no-reload", *args],
        env=env,
        cwd=ROOT,
        stdout=output or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if output else subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=stop_timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class RedisServer:
    """``redis-server`` on a free loopback port with its data (AOF) in ``directory``."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, empty=False):
        if empty:
            shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def flush(self):
        import redis

        redis.Redis.from_url(self.url).flushall()
