"""The catalogue: themes, modules, the words that find them, and their sessions.

Who enrols in a session is programme.models.enrolments.
"""

import re
import unicodedata
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.belgium import Language, Province
from common.history import StaffEditHistory

from .versions import ModuleVersionGroup

if TYPE_CHECKING:
    from .enrolments import Enrolment


def search_normalise(text: str) -> str:
    """Lower-case text without accents, so that "deconnexion" finds "déconnexion".

    Stored beside each module and applied to queries: one code path for SQLite and
    PostgreSQL, no database extension needed.
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# Longer "words" (a pasted link, a code) are never typed in a search.
MAX_SEARCH_WORD = 60
_JOINERS = re.compile(r"[-‐‑‒–]")
_NOT_WORD = re.compile(r"[^\w]+")


def search_fold(text: str) -> str:
    """search_normalise(), and "burn-out" written as "burnout": hyphens join, every other
    sign separates words. What modules store in search_text and queries are cut into."""
    return " ".join(_NOT_WORD.sub(" ", _JOINERS.sub("", search_normalise(text))).split())


class Theme(models.Model):
    """A theme from the entrepreneurs' reality (stress, sleep…); self-assessment bands
    recommend themes by slug."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=80)
    name_nl = models.CharField(_("name (Dutch)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_published = models.BooleanField(_("published"), default=True)
    history = StaffEditHistory()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, French when that one is empty."""
        language = (translation.get_language() or "fr")[:2]
        return getattr(self, f"name_{language}", "") or self.name_fr


class ModuleFormat(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    WORKSHOP = "workshop", _("Workshop")
    DIGITAL_TOOL = "digital_tool", _("Digital tool")
    PRACTICAL_CONTENT = "practical_content", _("Practical content")
    ELEARNING = "elearning", _("E-learning or video")


class ContentKind(models.TextChoices):
    """What a piece of practical content is; empty for other formats."""

    ARTICLE = "article", _("Article")
    GUIDE = "guide", _("Guide")
    DOWNLOAD = "download", _("Download")
    VIDEO = "video", _("Video")


# Formats people attend at a time; the others are opened whenever the member likes.
SESSION_FORMATS = (ModuleFormat.WEBINAR, ModuleFormat.WORKSHOP)


class Module(models.Model):
    """One item of the à-la-carte catalogue, delivered in one language."""

    # Not columns: set on the instances of a catalogue page (selectors.catalogue_page_extras).
    visible_themes: list["Theme"]
    # Not a column: links to the module's other language versions (selectors.versions).
    version_links: list

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=160)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description (Markdown)"), blank=True)
    format = models.CharField(_("format"), max_length=20, choices=ModuleFormat.choices)
    content_kind = models.CharField(
        _("kind of content"), max_length=20, choices=ContentKind.choices, blank=True
    )
    language = models.CharField(
        _("language of delivery"), max_length=2, choices=Language.choices, default=Language.FR
    )
    themes = models.ManyToManyField(Theme, related_name="modules", verbose_name=_("themes"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    provider = models.CharField(_("provider"), max_length=120, blank=True)
    external_url = models.URLField(
        _("external link"),
        blank=True,
        help_text=_("For a partner's digital tool, an e-learning or a download hosted elsewhere."),
    )
    audience_notes = models.CharField(_("audience notes"), max_length=300, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    # The same content in other languages; changed only by services.versions.
    version_group = models.ForeignKey(
        ModuleVersionGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="modules",
        verbose_name=_("language versions"),
    )
    # search_normalise() of the searchable fields, kept up to date by the services.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = StaffEditHistory(
        excluded_fields=["search_text", "created_at", "updated_at"], m2m_fields=[themes]
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        indexes = [models.Index(fields=["is_published", "format", "language"])]
        constraints = [
            # NULL groups are distinct: a module without versions is not concerned.
            models.UniqueConstraint(
                fields=["version_group", "language"],
                name="module_one_version_per_language",
                violation_error_message=_(
                    "Another module in this language is already linked to the same versions."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_sessions(self) -> bool:
        return self.format in SESSION_FORMATS

    def searchable_text(self) -> str:
        return search_fold(" ".join([self.title, self.summary, self.description, self.provider]))


class SearchWord(models.Model):
    """A word that some module's search text holds. A mistyped word is compared with these
    words (pg_trgm's word similarity, on PostgreSQL) rather than with every module's whole
    text, which made a search cost several times the plain list (bench/search.py). Added as
    modules are saved (services.module_refresh_search), never removed: a word no module
    says any more only finds nothing."""

    word = models.CharField(max_length=MAX_SEARCH_WORD, primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self) -> str:
        return self.word

    @classmethod
    def of_text(cls, search_text: str) -> list["SearchWord"]:
        return [cls(word=w) for w in set(search_text.split()) if len(w) <= MAX_SEARCH_WORD]


class SearchSynonyms(models.Model):
    """Words members use for the same thing, per language ("sommeil, insomnie, dormir"):
    a search for one finds modules that say another. Programme managers edit them; a
    language without a row uses programme.search_synonyms' defaults."""

    language = models.CharField(_("language"), max_length=2, choices=Language.choices, unique=True)
    # One group per line, words separated by commas, as the manager typed them.
    groups = models.TextField(_("groups of words that mean the same"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language"]
        verbose_name = _("search synonyms")
        verbose_name_plural = _("search synonyms")

    def __str__(self) -> str:
        return self.get_language_display()

    def word_groups(self) -> list[list[str]]:
        """The groups as folded words; a group needs two words to say anything."""
        groups = []
        for line in self.groups.splitlines():
            words = [search_fold(word) for word in line.split(",")]
            words = list(dict.fromkeys(w for w in words if w))
            if len(words) > 1:
                groups.append(words)
        return groups


class SessionMode(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")


class Session(models.Model):
    """A dated occurrence of a module (webinar, workshop) that members enrol in."""

    # Not columns: set for the viewer on a module page (selectors.module_sessions).
    my_enrolment: "Enrolment | None"
    registration_open: bool

    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("module")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(_("mode"), max_length=10, choices=SessionMode.choices)
    join_url = models.URLField(
        _("join link"), blank=True, help_text=_("Shown only to confirmed participants.")
    )
    venue = models.CharField(_("venue"), max_length=160, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    province = models.CharField(_("province"), max_length=3, choices=Province.choices, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for unlimited seats.")
    )
    # Confirmed seats, changed only by the enrolment services under a row lock; the
    # check constraint below makes overbooking impossible even for a buggy caller.
    confirmed_count = models.PositiveIntegerField(default=0, editable=False)
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Leave empty to accept enrolments until the session starts."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    cancellation_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # The calendar version (iCalendar SEQUENCE): one more on each change a calendar shows
    # (time, place, title, cancellation), so calendar apps replace the event they hold.
    sequence = models.PositiveIntegerField(_("calendar version"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Enrolments change the seat counter: not an edit, not kept (common.history).
    history = StaffEditHistory(
        excluded_fields=["confirmed_count", "sequence", "created_at", "updated_at"]
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(confirmed_count__lte=F("capacity")),
                name="session_never_overbooked",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="session_capacity_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "starts_at"]),
            # "A module's next session": the catalogue and the recommendations ask it of
            # every module; without this the database walks all upcoming sessions each time.
            models.Index(fields=["module", "starts_at"], name="session_module_start_idx"),
            # The managers' lists of past and upcoming sessions: 25 rows read in date
            # order, not every session sorted (make bench, past_sessions).
            models.Index(fields=["starts_at", "id"], name="session_start_idx"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.module.title} — {local:%d/%m/%Y %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def seats_left(self) -> int | None:
        """Free seats, or None when the session has no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.confirmed_count >= self.capacity

    @property
    def closes_at(self):
        return self.registration_deadline or self.starts_at

    @property
    def has_started(self) -> bool:
        """From the start on, seats are kept: nobody enrols or cancels any more."""
        return self.starts_at <= timezone.now()
