"""Replays, slides and practical sheets attached to a session after it began.

A file goes through Django's storage API (local disk or an S3-compatible bucket, see
settings.STORAGES) once its size and its type pass: the extension must be one we accept
and the first bytes must say the same thing, so a renamed executable is refused.
"""

import logging
import zipfile
from pathlib import PurePath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import User

from ..material_emails import material_notices
from ..models import MaterialKind, Session, SessionMaterial, TrackStep

logger = logging.getLogger(__name__)

# Extension -> what the file must look like inside.
ACCEPTED_EXTENSIONS = ("pdf", "pptx", "docx", "png", "jpg", "jpeg")
_MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
# Office files are zip archives; the part that makes each what it is.
_OFFICE_PART = {"pptx": "ppt/presentation.xml", "docx": "word/document.xml"}


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _looks_like(upload: UploadedFile, extension: str) -> bool:
    upload.seek(0)
    try:
        if extension in _OFFICE_PART:
            if upload.read(4) != b"PK\x03\x04":
                return False
            upload.seek(0)
            try:
                with zipfile.ZipFile(upload) as archive:
                    return _OFFICE_PART[extension] in archive.namelist()
            except zipfile.BadZipFile:
                return False
        head = upload.read(16)
        return any(head.startswith(magic) for magic in _MAGIC[extension])
    finally:
        upload.seek(0)


def material_file_check(upload: UploadedFile) -> None:
    """Refuse a file that is too big, of a type we do not accept, or not what it says."""
    limit = settings.PROGRAMME_MATERIAL_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {
                "file": _("This file is too large: %(limit)s at most.")
                % {"limit": filesizeformat(limit)}
            },
            code="too_large",
        )
    extension = _extension(upload.name or "")
    if extension not in ACCEPTED_EXTENSIONS:
        raise ValidationError(
            {"file": _("Only PDF, PowerPoint (.pptx), Word (.docx), PNG or JPEG files.")},
            code="wrong_type",
        )
    if not _looks_like(upload, extension):
        raise ValidationError(
            {"file": _("This file is not the %(type)s its name says.") % {"type": extension}},
            code="wrong_content",
        )


def material_link_check(url: str) -> None:
    """Only web links: no javascript:, file: or ftp: address reaches a member."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise ValidationError(
            {"url": _("The link must start with http:// or https://.")}, code="scheme"
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"url": _("Enter a valid web address.")}, code="invalid") from None


@transaction.atomic
def material_attach(
    *,
    session_id: int,
    kind: str,
    title: str,
    url: str = "",
    upload: UploadedFile | None = None,
    visible_later: bool = False,
    actor: User,
) -> SessionMaterial:
    """Attach a replay, slides or a sheet (a file or a link) to a session that has begun,
    and tell its participants and enrolees once the transaction commits."""
    session = Session.objects.select_for_update().get(pk=session_id)
    if session.is_cancelled:
        raise ValidationError(_("A cancelled session has no material."), code="cancelled")
    if session.starts_at > timezone.now():
        raise ValidationError(
            _("Material can be attached once the session has begun."), code="not_started"
        )
    url = (url or "").strip()
    title = (title or "").strip()
    if bool(url) == bool(upload):
        raise ValidationError(_("Give either a file or a link, not both."), code="file_or_link")
    if kind not in MaterialKind.values:
        raise ValidationError({"kind": _("Choose a kind of material.")}, code="kind")
    if not title:
        raise ValidationError({"title": _("Give the material a title.")}, code="title")
    if url:
        material_link_check(url)
    if upload is not None:
        material_file_check(upload)
    if SessionMaterial.objects.filter(session=session, kind=kind, title=title).exists():
        raise ValidationError(
            {"title": _("This session already has material of this kind with this title.")},
            code="duplicate",
        )
    material = SessionMaterial(
        session=session,
        kind=kind,
        title=title,
        url=url,
        visible_later=visible_later,
        added_by=actor,
        file_name=PurePath(upload.name or "").name[:160] if upload else "",
    )
    if upload is not None:
        material.file.save(upload.name or "material", upload, save=False)
    try:
        with transaction.atomic():
            material.save()
    except IntegrityError:
        if material.file:
            material.file.delete(save=False)
        raise ValidationError(
            {"title": _("This session already has material of this kind with this title.")},
            code="duplicate",
        ) from None
    material_notices(material)
    logger.info("material.attached session=%s material=%s", session.pk, material.pk)
    return material


@transaction.atomic
def material_visibility_set(*, material_id: int, visible_later: bool) -> SessionMaterial:
    material = SessionMaterial.objects.select_for_update().get(pk=material_id)
    material.visible_later = visible_later
    material.save(update_fields=["visible_later"])
    return material


@transaction.atomic
def material_remove(*, material_id: int) -> None:
    """Remove the material and its file; a training track that uses it keeps it."""
    material = SessionMaterial.objects.select_for_update().get(pk=material_id)
    if TrackStep.objects.filter(material=material).exists():
        raise ValidationError(
            _("A training track uses this material: remove that step first."), code="in_track"
        )
    stored = material.file.name if material.file else ""
    storage = material.file.storage
    material.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
