from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.belgium import Language, Province
from common.history import StaffEditHistory

from .consents import ConsentKind
from .roles import role_label


class UserManager(BaseUserManager["User"]):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    # No username: the e-mail address is the login (django-stubs types it as str).
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # Our manager creates users by e-mail; django-stubs expects auth's username-based one.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    # Roles and status changes (who gave which role, who deactivated the account): the
    # groups and the flags, none of the person's details, and gone with the account when
    # it is erased. Logins and password changes are not edits (common.history).
    history = StaffEditHistory(
        excluded_fields=[
            "password",
            "last_login",
            "email",
            "first_name",
            "last_name",
            "date_joined",
        ],
        m2m_fields=["groups"],
        cascade_delete_history=True,
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # Role capabilities; the role groups (members.roles) hold them.
        permissions = [
            ("access_member_space", _("Can use the member space")),
            ("raise_signals", _("Can pass on a member's weak signal")),
            ("work_cases", _("Can work listening-cell cases")),
            ("manage_programme", _("Can manage the programme catalogue")),
            ("view_statistics", _("Can read programme statistics")),
            ("manage_team", _("Can invite the programme team and change their roles")),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class SelfEmployment(models.TextChoices):
    MAIN = "main", _("Main occupation")
    COMPLEMENTARY = "complementary", _("Complementary occupation")
    AFTER_RETIREMENT = "after_retirement", _("Active after retirement")
    HELPING_SPOUSE = "helping_spouse", _("Helping spouse or partner")


class ActivitySector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture, horticulture, fishing")
    CONSTRUCTION = "construction", _("Construction and trades")
    RETAIL = "retail", _("Retail and commerce")
    HOSPITALITY = "hospitality", _("Hotels, restaurants, cafés")
    TRANSPORT = "transport", _("Transport and logistics")
    HEALTH = "health", _("Health and care professions")
    LIBERAL = "liberal", _("Liberal and intellectual professions")
    CREATIVE = "creative", _("Arts, culture and media")
    SERVICES = "services", _("Personal and business services")
    IT = "it", _("IT and digital")
    INDUSTRY = "industry", _("Industry and crafts")
    OTHER = "other", _("Other")


phone_validator = RegexValidator(
    regex=r"^\+?[0-9][0-9 ./-]{7,18}[0-9]$",
    message=_("Enter a phone number such as 0470 12 34 56 or +32 470 12 34 56."),
)
postcode_validator = RegexValidator(
    regex=r"^[1-9][0-9]{3}$",
    message=_("Enter a Belgian postcode of four digits, such as 1000."),
)


# What a member tells the programme about themselves: the profile form edits these fields
# and the member's data file exports them. Which messages they receive is notifications'
# (MessagePreference); the profile page shows those switches too.
PROFILE_FIELDS = (
    "preferred_language",
    "province",
    "postcode",
    "activity_sector",
    "self_employment",
    "phone",
)


class MemberProfile(models.Model):
    """What the programme needs to know about an entrepreneur, and how to reach them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.FR
    )
    province = models.CharField(_("province"), max_length=3, choices=Province.choices, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=4, blank=True, validators=[postcode_validator]
    )
    activity_sector = models.CharField(
        _("activity sector"), max_length=20, choices=ActivitySector.choices, blank=True
    )
    self_employment = models.CharField(
        _("self-employment"), max_length=20, choices=SelfEmployment.choices, blank=True
    )
    phone = models.CharField(
        _("phone (optional)"), max_length=20, blank=True, validators=[phone_validator]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_complete(self) -> bool:
        return bool(
            self.user.first_name and self.province and self.self_employment and self.activity_sector
        )


class Consent(models.Model):
    """One consent given by a member, with the version of the text they agreed to.

    Append-only: withdrawing sets withdrawn_at; giving again adds a row.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ConsentKind.choices)
    text_version = models.CharField(_("version of the text"), max_length=20)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["user", "kind"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.kind} v{self.text_version}"


class Invitation(models.Model):
    """A programme manager's invitation to join the team with a role.

    The link it sends carries the invitation's key, signed (members.invitations); it
    opens until expires_at, once: accepting sets accepted_at, sending again changes the
    key so that an earlier link stops working.
    """

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20)
    key = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    sent_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # The account the invitation made; erasing it deletes the invitation (account_privacy).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One invitation waiting per address: inviting again means sending it again.
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(accepted_at__isnull=True),
                name="invitation_pending_once_per_email",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def role_label(self) -> str:
        return role_label(self.role)

    @property
    def is_expired(self) -> bool:
        return self.accepted_at is None and self.expires_at <= timezone.now()
