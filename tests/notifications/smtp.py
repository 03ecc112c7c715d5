"""A real SMTP server (aiosmtpd) on a free port, whose answer a test chooses."""

import asyncio
import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ScriptedHandler:
    """Answers DATA with the next scripted reply ("250 OK" once the script runs out)."""

    def __init__(self):
        self.replies: list[str] = []
        self.received: list[EmailMessage] = []
        # The bytes exactly as they came over the wire, for the header tests.
        self.raw: list[bytes] = []
        self.attempts = 0
        self.connections = 0  # EHLO greetings: one per connection

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        reply = self.replies.pop(0) if self.replies else "250 OK"
        if reply.startswith("250"):
            self.raw.append(envelope.original_content or envelope.content)
            self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return reply


class SlowHandler(ScriptedHandler):
    """20 ms a message, so that a worker killed mid-sweep is in the middle of sending."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


class StallingHandler(ScriptedHandler):
    """Takes `seconds` to answer DATA: a mail server that hangs mid-conversation."""

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds = seconds

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.seconds)
        return await super().handle_DATA(server, session, envelope)


class SMTPServer:
    def __init__(self, handler: ScriptedHandler | None = None):
        self.port = free_port()
        self.handler = handler or ScriptedHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def received(self) -> list[EmailMessage]:
        return self.handler.received

    def reply_with(self, *replies: str) -> None:
        self.handler.replies = list(replies)

    def mailers_setting(self) -> dict:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 5},
            }
        }
