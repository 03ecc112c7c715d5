"""SMTP with an optional DKIM signature (dkimpy) for when the relay does not sign.

Most relays sign for the sender's domain themselves; then DKIM_PRIVATE_KEY_FILE stays
unset and this is Django's SMTP backend. With a key, every message is signed here,
its unsubscribe headers included (RFC 8058 asks for them to be covered).
"""

import email.policy
import smtplib
from functools import lru_cache

import dkim
from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend

SIGNED_HEADERS = [
    b"from",
    b"to",
    b"cc",
    b"reply-to",
    b"subject",
    b"date",
    b"message-id",
    b"mime-version",
    b"content-type",
    b"content-language",
    b"list-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"auto-submitted",
]


def dkim_signature(message: bytes) -> bytes:
    """The DKIM-Signature header line(s) for these bytes, CRLF-terminated."""
    return dkim.sign(
        message,
        selector=settings.DKIM_SELECTOR.encode(),
        domain=settings.DKIM_DOMAIN.encode(),
        privkey=settings.DKIM_PRIVATE_KEY,
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=SIGNED_HEADERS,
    )


class SMTPBackend(EmailBackend):
    # Addresses parsed lately (the sender's, above all, the same on every message of a
    # campaign): the standard library's address parser is a good share of a message's
    # cost. Small, so that memory stays flat; a recipient's address goes through. A bad
    # address raises every time (lru_cache keeps no exception).
    prepared_size = 16

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._prepared = lru_cache(maxsize=self.prepared_size)(super().prep_address)

    def prep_address(self, address, force_ascii=True) -> str:
        if type(address) is not str:
            return super().prep_address(address, force_ascii)
        return self._prepared(address, force_ascii)

    def _send(self, email_message) -> bool:
        if not settings.DKIM_PRIVATE_KEY:
            return super()._send(email_message)  # type: ignore[misc]  # private, so not in the stubs
        # As Django's own _send, with the signature put in front of the bytes.
        if not email_message.recipients():
            return False
        from_email = self.prep_address(email_message.from_email)
        recipients = [self.prep_address(address) for address in email_message.recipients()]
        message = email_message.message(policy=email.policy.SMTP).as_bytes()
        assert self.connection is not None  # send_messages opened it before calling _send
        try:
            self.connection.sendmail(from_email, recipients, dkim_signature(message) + message)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
