"""E-mail headers as mail clients need them on the wire.

The standard library's modern folding (email.policy) has two faults that matter here:
a header value with a token longer than the line limit comes out RFC 2047-encoded
(`List-Unsubscribe: =?utf-8?q?=3Chttps=3A//…`), which Gmail and Yahoo then ignore; and
a non-ASCII subject folded between plain and encoded words can gain or lose a space
once decoded. PortalEmail swaps in header classes that fold those headers safely, for
whatever policy the mail backend serialises with (SMTP's CRLF, the console's LF).
"""

import email.policy
import re
from email.header import Header
from email.headerregistry import BaseHeader, HeaderRegistry, UnstructuredHeader
from email.policy import EmailPolicy
from functools import lru_cache

from django.core.mail import EmailMultiAlternatives

# RFC 5322 2.1.1: a line MUST stay under 998 characters, SHOULD stay under 78.
HARD_LINE_LIMIT = 998
ANGLE_LIST = re.compile(r"<[^<>]*>")
ANGLE_LIST_WHOLE = re.compile(r"\s*<[^<>]*>(\s*,\s*<[^<>]*>)*\s*")


class AsciiListHeader(UnstructuredHeader):
    """List-Unsubscribe, List-Unsubscribe-Post, List-Id: plain ASCII, never encoded.

    Folded only between comma-separated items, so a URL always stays whole on its line
    (up to the hard limit of 998 characters) and RFC 2369 / RFC 8058 clients read it
    back byte for byte.
    """

    max_count = 1
    # From BaseHeader, which HeaderRegistry mixes into the class it makes from this one.
    name: str

    def fold(self, *, policy) -> str:
        value = str(self)
        if not value.isascii():
            raise ValueError(f"The {self.name} header must be plain ASCII: {value!r}")
        soft_limit = policy.max_line_length or HARD_LINE_LIMIT
        # A list of <URL>s is folded between them; a comma inside a URL is not a break.
        items = ANGLE_LIST.findall(value) if ANGLE_LIST_WHOLE.fullmatch(value) else [value]
        lines = [f"{self.name}:"]
        for index, item in enumerate(items):
            piece = item + ("," if index < len(items) - 1 else "")
            if index and len(lines[-1]) + 1 + len(piece) > soft_limit:
                lines.append(" " + piece)
            else:
                lines[-1] += " " + piece
        if any(len(line) > HARD_LINE_LIMIT for line in lines):
            raise ValueError(
                f"The {self.name} header has an item over {HARD_LINE_LIMIT} characters."
            )
        return policy.linesep.join(lines) + policy.linesep


class EncodedSubjectHeader(UnstructuredHeader):
    """A subject that reads back exactly as written, spaces included.

    ASCII subjects fold at spaces as usual. Any other subject is written entirely as
    encoded words (RFC 2047): whitespace between two encoded words is dropped by every
    decoder, so the spaces inside the words are the only ones, and folding cannot add
    or remove one.
    """

    max_count = 1
    name: str  # as above

    def fold(self, *, policy) -> str:
        value = str(self)
        if value.isascii():
            return super().fold(policy=policy)  # type: ignore[misc]  # BaseHeader's, mixed in
        encoded = Header(
            value,
            charset="utf-8",
            header_name=self.name,
            maxlinelen=policy.max_line_length or HARD_LINE_LIMIT,
        ).encode(linesep=policy.linesep)
        return f"{self.name}: {encoded}{policy.linesep}"


class FoldedOnceHeader(BaseHeader):
    """A header that keeps its folded text per policy, since the registry below hands
    the same (immutable) header object to every message that has that header."""

    def fold(self, *, policy) -> str:
        folded = self.__dict__.setdefault("_folded", {})
        try:
            return folded[policy]
        except KeyError:
            text = folded[policy] = super().fold(policy=policy)
            return text


class CachingHeaderRegistry(HeaderRegistry):
    """The standard registry, without its per-message costs on a fan-out.

    The standard one builds a new header class on every lookup and parses every value it
    is given; a campaign sets the same headers (From, MIME-Version, the parts'
    Content-Type and Content-Transfer-Encoding, Auto-Submitted, List-Id…) on thousands
    of messages. Header classes are made once, and the last few header objects are kept
    by name and value (they are immutable). The bound is small, so memory stays flat
    and a value seen once per recipient simply goes through.
    """

    recent_size = 64

    def __init__(self) -> None:
        super().__init__(base_class=FoldedOnceHeader)
        self._classes: dict[str, type] = {}
        # lru_cache is thread-safe: web threads send e-mails too.
        self._recent = lru_cache(maxsize=self.recent_size)(self._make)

    def map_to_type(self, name, cls) -> None:
        super().map_to_type(name, cls)
        self._classes.clear()
        self._recent.cache_clear()

    def __getitem__(self, name):
        key = name.lower()
        try:
            return self._classes[key]
        except KeyError:
            made = self._classes[key] = super().__getitem__(name)
            return made

    def _make(self, name: str, value: str) -> BaseHeader:
        return self[name](name, value)

    def __call__(self, name, value):
        if type(value) is not str:  # a date, a header object: made as usual
            return self[name](name, value)
        return self._recent(name, value)


HEADERS = CachingHeaderRegistry()
for _name in ("list-unsubscribe", "list-unsubscribe-post", "list-id"):
    # The registry mixes BaseHeader in (its map_to_type above is untyped for that).
    HEADERS.map_to_type(_name, AsciiListHeader)
HEADERS.map_to_type("subject", EncodedSubjectHeader)


class PortalEmail(EmailMultiAlternatives):
    """An e-mail whose headers come out right whatever backend sends it."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=_with_portal_headers(policy))


# The policies the backends serialise with (SMTP's, the console's): a handful, each
# cloned once, so that the folded headers kept above are found again.
@lru_cache(maxsize=16)
def _with_portal_headers(policy: EmailPolicy) -> EmailPolicy:
    return policy.clone(header_factory=HEADERS)


def as_portal_email(message: EmailMultiAlternatives) -> PortalEmail:
    """The same message (subject, bodies, headers, alternatives) as a PortalEmail."""
    portal = PortalEmail(
        subject=message.subject,
        body=message.body,
        from_email=message.from_email,
        to=message.to,
        cc=message.cc,
        bcc=message.bcc,
        reply_to=message.reply_to,
        headers=message.extra_headers,
        alternatives=getattr(message, "alternatives", None),
        attachments=message.attachments,
    )
    portal.content_subtype = message.content_subtype
    return portal
