"""One Redis key's value, kept in this process until Redis says it changed.

Every cached answer reads the purge generation (news.cache_keys.generation): with a
round trip to Redis, that read was a third of a cached answer's time. Redis's *client
tracking* (RESP3, Redis 6+) removes it: a connection that read a key with ``CLIENT
TRACKING ON`` is sent an ``invalidate`` message when anyone changes the key. Kept here,
the value is served from memory while nothing has arrived on the connection; anything
that arrives (an invalidation, a flush, a closed connection) means "read it again".

Why a read right after a publish sees the new value: Redis queues the invalidation for
every tracking connection while it executes the write, and writes it out before it
serves any later command, but not always before the write's own answer. So the purge
that moved the generation waits for Redis's answer to one more command sent after that
answer (``cache_keys.purge`` writes its purge log) before it returns: by then the
message sits in each reader's socket, which ``get`` polls first (one non-blocking
``recv``). As a bound for what cannot happen on loopback (a message delayed
on a network), the value is read again when it is older than ``max_age`` seconds.

Hand-written: redis-py's client-side cache (``cache_config``) caches every read
command's reply and deep-copies each hit, and django-redis does not expose it; this is
one key on one connection of its own. Anything unexpected (no RESP3, Redis down) makes
``get`` raise, and the caller reads the key the plain way; tracking is tried again after
``retry_after`` seconds.
"""

import os
import threading
import time


class TrackedKey:
    """``get()``: the value of ``raw_key`` (bytes or None), read through Redis client tracking.

    ``pool`` is a redis-py connection pool (django-redis's): its connection class and
    arguments make the tracking connection, which is this object's alone.
    """

    def __init__(self, pool, raw_key, max_age=1.0, retry_after=30.0):
        self.pool = pool
        self.raw_key = raw_key
        self.max_age = max_age
        self.retry_after = retry_after
        self._lock = threading.Lock()
        self._connection = None
        self._pid = None
        self._value = None
        self._read_at = None
        self._broken_until = 0.0

    def get(self):
        with self._lock:
            if time.monotonic() < self._broken_until:
                raise ConnectionError("Redis client tracking is unavailable for now")
            try:
                return self._get()
            except Exception:
                self._drop()
                self._broken_until = time.monotonic() + self.retry_after
                raise

    def _get(self):
        connection = self._connection
        if connection is None or self._pid != os.getpid():  # none yet, or a forked copy
            connection = self._connect()
        elif (
            self._read_at is not None
            and time.monotonic() - self._read_at < self.max_age
            and not connection.can_read(timeout=0)
        ):
            return self._value
        else:
            # Something arrived: invalidations (read and dropped), or an error raised here.
            while connection.can_read(timeout=0):
                connection.read_response(push_request=True)
        self._read_at = None
        started = time.monotonic()
        connection.send_command("GET", self.raw_key)
        # A push that arrives before the reply is about a change the reply already shows.
        value = connection.read_response(disable_decoding=True)
        self._value, self._read_at = value, started
        return value

    def _connect(self):
        self._drop()
        arguments = {**self.pool.connection_kwargs, "protocol": 3}
        connection = self.pool.connection_class(**arguments)
        connection.connect()
        connection.send_command("CLIENT", "TRACKING", "ON")
        if connection.read_response() not in (b"OK", "OK"):
            raise ConnectionError("CLIENT TRACKING ON was refused")
        self._connection, self._pid = connection, os.getpid()
        return connection

    def _drop(self):
        connection, self._connection = self._connection, None
        self._read_at = None
        if connection is not None and self._pid == os.getpid():
            try:
                connection.disconnect()
            except Exception:  # noqa: BLE001, S110 - it is being thrown away
                pass
