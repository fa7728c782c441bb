"""Open live screens under a real ASGI server (uvicorn): each stream must not hold a database
connection of its own for its whole life, or a lab's open phones and kiosks exhaust
PostgreSQL's connections (max_connections, 100 by default)."""

import asyncio
import os
from urllib.parse import urlsplit

from machines import services as machine_services
from machines.factories import MachineFactory, MachineJobFactory

# asyncio runs blocking calls in a ThreadPoolExecutor of this default size.
DEFAULT_POOL = min(32, (os.cpu_count() or 1) + 4)


def build_kiosk():
    machine = MachineFactory(name="Prusa MK4", slug="prusa-mk4")
    machine_services.machine_kiosk_token_rotate(machine=machine)
    MachineJobFactory(machine=machine, file_name="engrenage.gcode")
    return machine


async def open_streams(base_url: str, path: str, count: int, while_open):
    """Open `count` streams, wait for each one's first fragment, call `while_open()`."""
    address = urlsplit(base_url)
    streams = []
    try:
        for _ in range(count):
            reader, writer = await asyncio.open_connection(address.hostname, address.port)
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {address.netloc}\r\n"
                "Accept: text/event-stream\r\n\r\n".encode()
            )
            streams.append((reader, writer))
        for reader, _writer in streams:
            received = b""
            while b"\ndata: " not in received:
                received += await asyncio.wait_for(reader.read(65536), timeout=10)
            assert received.startswith(b"HTTP/1.1 200"), received[:200]
            assert b'data-job="' in received
        return while_open()
    finally:
        for _reader, writer in streams:
            writer.close()


def test_open_kiosk_streams_share_a_few_database_connections(orm, server_connections, live_url):
    machine = orm(build_kiosk)
    streams = DEFAULT_POOL + 10

    def connections_open_in_server():
        # A connection that closes and reconnects is reported each time it connects.
        server = {id(c): c for thread, c in server_connections if not thread.startswith("orm")}
        return sum(1 for connection in server.values() if connection.connection is not None)

    held = asyncio.run(
        open_streams(
            live_url,
            f"/machines/{machine.slug}/kiosk/stream/?token={machine.kiosk_token}",
            streams,
            connections_open_in_server,
        )
    )
    assert 0 < held <= DEFAULT_POOL + 1, f"{held} connections for {streams} open streams"
