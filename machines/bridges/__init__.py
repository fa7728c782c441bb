"""Bridges bring machine events in from elsewhere (an MQTT broker, OctoPrint's API) and hand
each one to machines.services.machine_job_record_event, like the HTTP API does."""

from django.db import close_old_connections, connections


def refresh_connections() -> None:
    """What Django does around each request, for a long-running bridge: drop database
    connections that are past CONN_MAX_AGE or broken by an error, so the next query reconnects.
    Skipped inside a transaction (a test's), which closing would end."""
    if any(conn.in_atomic_block for conn in connections.all(initialized_only=True)):
        return
    close_old_connections()
