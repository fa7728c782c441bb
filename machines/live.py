"""Live screens: the kiosk and the member's banner follow jobs without a reload.

Events may arrive in another process (a web worker, the MQTT or OctoPrint bridge), so the
database is the meeting point. Each process reads one cheap "version" of the jobs (their
newest change and newest journal entry on a machine) at most every POLL_SECONDS, however
many screens are connected, and each stream re-renders its fragment only when it changed.
Under ASGI the fragments are pushed as server-sent events; elsewhere (and when the stream
breaks) the page polls the same fragment."""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from asgiref.sync import sync_to_async
from django.db import close_old_connections, connections
from django.db.models import Max

from projects.models import JournalEntry

from .models import MachineJob

T = TypeVar("T")

POLL_SECONDS = 0.2
# Streams end after this long and the browser reconnects: proxies and workers recycle.
STREAM_SECONDS = 120
HEARTBEAT_SECONDS = 15
# How soon the browser reconnects after a stream ends (EventSource `retry`).
RETRY_MILLISECONDS = 1000


def stream_read(function: Callable[[], T]) -> Callable[[], Awaitable[T]]:
    """`function` (synchronous, read-only) as a coroutine for a stream. It runs in the event
    loop's small shared pool of threads, not in the request's own thread: open streams then
    share a few database connections instead of each holding one for its whole life
    (PostgreSQL refuses clients beyond max_connections, 100 by default)."""

    def read():
        close_old_connections()  # as a request would: drop a broken or expired connection
        return function()

    return sync_to_async(read, thread_sensitive=False)


def _close_idle_connections() -> None:
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


async def release_request_connections() -> None:
    """Close the connections the request's own thread opened before its stream began (the
    machine, the member); they would stay open until the stream ends."""
    await sync_to_async(_close_idle_connections)()


def _read_version() -> tuple:
    jobs = MachineJob.objects.aggregate(changed=Max("updated_at"))["changed"]
    entries = JournalEntry.objects.filter(machine__isnull=False).aggregate(last=Max("pk"))["last"]
    return (jobs, entries)


class _Version:
    """The latest version, read by one coroutine at a time, shared by every stream."""

    def __init__(self):
        self.value = None
        self.read_at = 0.0
        self.lock = None
        self.loop = None

    async def current(self) -> tuple:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # a lock belongs to one event loop
            self.lock, self.loop = asyncio.Lock(), loop
        async with self.lock:
            if time.monotonic() - self.read_at >= POLL_SECONDS:
                self.value = await stream_read(_read_version)()
                self.read_at = time.monotonic()
        return self.value


_version = _Version()


def sse_message(data: str, *, event: str | None = None) -> str:
    lines = [f"event: {event}"] if event else []
    lines += [f"data: {line}" for line in data.splitlines() or [""]]
    return "\n".join(lines) + "\n\n"


class _SharedRenders:
    """Screens that show the same thing (every kiosk of one machine, in one language) share
    one render per version: the first stream to ask renders, the others await its result."""

    def __init__(self):
        self.version = None
        self.renders: dict[object, asyncio.Future] = {}

    async def get(self, key, version, render: Callable[[], Awaitable[str]]) -> str:
        if version != self.version:
            self.version, self.renders = version, {}
        future = self.renders.get(key)
        if future is None or future.get_loop() is not asyncio.get_running_loop():
            future = asyncio.ensure_future(render())
            self.renders[key] = future
        return await asyncio.shield(future)


_shared = _SharedRenders()


async def fragment_stream(
    render: Callable[[], Awaitable[str]], *, share_key=None
) -> AsyncIterator[str]:
    """Send `render()` now and each time it changes; keep the connection warm meanwhile.
    Streams given the same `share_key` show the same fragment and render it once."""
    yield f"retry: {RETRY_MILLISECONDS}\n\n"
    sent, seen = None, None
    started = last_beat = time.monotonic()
    while time.monotonic() - started < STREAM_SECONDS:
        version = await _version.current()
        if version != seen:
            seen = version
            if share_key is None:
                html = await render()
            else:
                html = await _shared.get(share_key, version, render)
            if html != sent:
                sent = html
                yield sse_message(html)
                last_beat = time.monotonic()
        if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
            yield ": still here\n\n"
            last_beat = time.monotonic()
        await asyncio.sleep(POLL_SECONDS / 2)
