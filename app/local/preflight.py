"""Checks `make dev` runs before starting anything: free ports, in one line each."""

from __future__ import annotations

import logging
import socket


def taken_ports(ports: dict[str, tuple[str, int]]) -> list[str]:
    """Return one line per port already in use, naming the variable that moves it."""
    problems = []
    for variable, (host, port) in ports.items():
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError:
                problems.append(f"Port {port} on {host} is taken: set {variable} to a free port.")
    return problems


def quiet_emulator_logs() -> None:
    """Drop moto's per-request access lines, so the poller's long polls print nothing."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
