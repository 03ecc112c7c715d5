"""A real SMTP server (aiosmtpd) on a free port, whose answer a test chooses."""

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
        self.attempts = 0

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        reply = self.replies.pop(0) if self.replies else "250 OK"
        if reply.startswith("250"):
            self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return reply


class SMTPServer:
    def __init__(self):
        self.port = free_port()
        self.handler = ScriptedHandler()
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
