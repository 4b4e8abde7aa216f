"""Refuse to start on ports another process holds, naming them, before anything starts (the
Temporal binary would otherwise fail with its own error after the rest had started)."""

import errno
import socket


class PortsInUse(Exception):
    """Some of the ports a command was asked to listen on are taken."""

    def __init__(self, ports: list[int]):
        super().__init__(f"port{'s' if len(ports) > 1 else ''} {', '.join(map(str, ports))} in use")
        self.ports = ports


def check_ports_free(ports: list[int], host: str = "127.0.0.1") -> None:
    """Raise PortsInUse for every port in ``ports`` (0 means any: skipped) already bound."""
    taken = []
    for port in ports:
        if port == 0:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                taken.append(port)
    if taken:
        raise PortsInUse(taken)
