"""Fixtures: a real HTTPS server on loopback and a transport that trusts only its test CA."""

from loopback_server import (  # noqa: F401 (fixtures)
    loopback,
    loopback_ca,
    loopback_certificate,
    loopback_transport,
)
