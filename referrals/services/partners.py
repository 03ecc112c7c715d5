"""Edits to the partner directory (staff pages, the HSDS import, the demo)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import Partner, PartnerArea, PartnerLanguage, PartnerNeed
from ..phones import normalise_service_phone


def _partner_save(
    partner: Partner, *, needs: Iterable[str], areas: Iterable[str], languages: Iterable[str]
) -> Partner:
    if partner.phone:
        partner.phone = normalise_service_phone(partner.phone)
    needs, areas, languages = set(needs), set(areas), set(languages)
    if not needs or not areas or not languages:
        raise ValidationError(_("Choose at least one need, one area and one language."))
    partner.full_clean()
    partner.save()
    partner.needs.all().delete()
    partner.areas.all().delete()
    partner.languages.all().delete()
    PartnerNeed.objects.bulk_create(PartnerNeed(partner=partner, need=n) for n in sorted(needs))
    PartnerArea.objects.bulk_create(PartnerArea(partner=partner, area=a) for a in sorted(areas))
    PartnerLanguage.objects.bulk_create(
        PartnerLanguage(partner=partner, language=lang) for lang in sorted(languages)
    )
    return partner


@transaction.atomic
def partner_create(
    *,
    needs: Iterable[str],
    areas: Iterable[str],
    languages: Iterable[str],
    **fields: Any,
) -> Partner:
    return _partner_save(Partner(**fields), needs=needs, areas=areas, languages=languages)


@transaction.atomic
def partner_update(
    *,
    partner: Partner,
    needs: Iterable[str],
    areas: Iterable[str],
    languages: Iterable[str],
    **fields: Any,
) -> Partner:
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    for name, value in fields.items():
        setattr(partner, name, value)
    return _partner_save(partner, needs=needs, areas=areas, languages=languages)
