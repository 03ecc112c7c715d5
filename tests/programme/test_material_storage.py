"""Where uploaded material lives: the local disk by default, an S3-compatible bucket
(django-storages) when the environment says so."""

from tests.test_settings import settings_values

STORAGE_CLASS = (
    "__import__('django.core.files.storage', fromlist=['storages'])"
    ".storages['default'].__class__.__name__"
)


def test_local_storage_by_default():
    [storage_class] = settings_values({"DEBUG": "1"}, STORAGE_CLASS)
    assert storage_class == "FileSystemStorage"


def test_s3_compatible_storage_from_the_environment():
    backend, bucket, endpoint, storage_class = settings_values(
        {
            "DEBUG": "1",
            "MEDIA_STORAGE": "s3",
            "MEDIA_S3_BUCKET": "portal-media",
            "MEDIA_S3_ENDPOINT_URL": "https://s3.example.org",
        },
        "settings.STORAGES['default']['BACKEND']",
        "settings.STORAGES['default']['OPTIONS']['bucket_name']",
        "settings.STORAGES['default']['OPTIONS']['endpoint_url']",
        STORAGE_CLASS,
    )
    assert backend == "storages.backends.s3.S3Storage"
    assert (bucket, endpoint) == ("portal-media", "https://s3.example.org")
    assert storage_class == "S3Storage"
