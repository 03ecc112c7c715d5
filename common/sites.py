"""The Sites framework follows PORTAL_BASE_URL, so allauth's pages and e-mails name the
portal and its public address, never the host a request happened to use."""

from urllib.parse import urlsplit

from django.conf import settings


def site_sync(**kwargs) -> None:
    """Make the current Site say PORTAL_BASE_URL's host and the portal's name.

    Connected to post_migrate: every deployment runs migrate, so a changed address is
    picked up at the next start (`make run`, `make serve`).
    """
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.PORTAL_BASE_URL).netloc
    site, _created = Site.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.PORTAL_NAME}
    )
    if (site.domain, site.name) != (domain, settings.PORTAL_NAME):
        site.domain, site.name = domain, settings.PORTAL_NAME
        site.save(update_fields=["domain", "name"])
    Site.objects.clear_cache()
