"""``bpdebug GRAPH --serve``: the same app in a browser tab, one app process per tab, through
textual-serve, with our own page (no web font from a public host; local CJK fonts)."""

from __future__ import annotations

import html
import ipaddress
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

import textual_serve
from textual_serve.server import Server

from bpdebug.teach.messages import language, say

WEB = Path(__file__).parent / "web"
STATIC = Path(textual_serve.__file__).parent / "static"


class ServeError(Exception):
    """The server cannot start (the port is taken, the host cannot be bound)."""


class BpdebugServer(Server):
    """textual-serve's server with bpdebug's page, in the language the app speaks."""

    def __init__(self, command: str, host: str, port: int, title: str) -> None:
        title = html.escape(title)  # the graph's title, from a file: no markup in the page
        super().__init__(command, host=host, port=port, title=title, statics_path=STATIC, templates_path=WEB)

    async def handle_index(self, request: Any) -> Any:
        import aiohttp_jinja2

        # textual-serve's handler, without its template decorator: its context, and ours
        context = await Server.handle_index.__wrapped__(self, request)  # type: ignore[attr-defined]
        context |= {
            "lang": "zh-CN" if language() == "zh" else "en",
            "starting": say("serve.starting"),
            "ended": say("serve.ended"),
            "restart": say("serve.restart"),
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    def initialize_logging(self) -> None:
        """Warnings and errors only: a line per request would bury the one that matters."""
        import logging

        logging.basicConfig(level="WARNING", format="%(message)s")

    async def on_startup(self, app: Any) -> None:
        print(say("serve.serving", url=self.public_url), file=sys.stderr, flush=True)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_port(host: str, port: int) -> None:
    """ServeError, said, when *host*:*port* cannot be bound (taken, or not this machine's)."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        raise ServeError(
            say("serve.cannot_bind", host=host, port=port, reason=error.strerror or str(error))
        ) from None


def serve(app_arguments: list[str], host: str, port: int, title: str) -> None:
    """Serve ``bpdebug APP_ARGUMENTS`` until Ctrl+C; every tab runs its own app process."""
    check_port(host, port)
    if not is_loopback(host):
        print(say("serve.no_authentication", host=host, port=port), file=sys.stderr, flush=True)
    command = shlex.join([sys.executable, "-m", "bpdebug", *app_arguments])
    BpdebugServer(command, host, port, title).serve()
