"""Refuse connections to private, loopback and other non-public addresses.

The check sits in the network backend under httpx, so it sees the address each connection is
actually made to: after DNS, and for every redirect, with no gap for a name that resolves to a
public address when checked and a private one when connected (DNS rebinding).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import typing

import httpcore


class RefusedAddress(httpcore.ConnectError):
    """The host resolves to an address the pull may not reach. A ConnectError subclass so
    httpx reports it like any failed connection, with this message."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone index
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves the host itself, checks every address, and connects to a checked one (TLS
    still verifies the host name: httpcore passes it as the server name)."""

    def __init__(self, *, allow_private: bool) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._allow_private = allow_private

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            infos = await asyncio.wait_for(
                loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout)
        except (OSError, TimeoutError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not self._allow_private:
            blocked = [a for a in addresses if not is_public(a)]
            if blocked:
                raise RefusedAddress(
                    f"refused: {host} is at a private or loopback address ({blocked[0]}); "
                    "set CALFEED_PULL_ALLOW_PRIVATE=1 to allow it")
        last: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address,
                    socket_options=socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host}")

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not pulled from")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
