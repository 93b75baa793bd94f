"""make dev's port check names the variable to change for a taken port."""

from __future__ import annotations

import socket

from app.local.preflight import taken_ports


def test_taken_port_names_its_variable() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        with socket.socket() as spare:
            spare.bind(("127.0.0.1", 0))
            free = spare.getsockname()[1]
        lines = taken_ports({"LOCAL_AWS_PORT": ("127.0.0.1", busy), "PORT": ("127.0.0.1", free)})
    assert lines == [f"Port {busy} on 127.0.0.1 is taken: set LOCAL_AWS_PORT to a free port."]
