"""Where uploaded files live, read from the environment by config/settings/base.py.

Without any S3_* variable, nothing changes: files stay on this server's disk. With them, the
"default" and "private" storages become buckets of an object storage (operations/storage.py).
Half a configuration is refused at startup rather than discovered at the first upload.

Imports nothing but Django's exceptions: the settings import this before any app is ready.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Each of these turns object storage on; the lead's README describes them.
S3_VARIABLES = (
    "S3_MEDIA_BUCKET",
    "S3_PRIVATE_BUCKET",
    "S3_MEDIA_URL",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
)
REQUIRED = ("S3_MEDIA_BUCKET", "S3_PRIVATE_BUCKET")


def _absolute_http_url(value):
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def url_origin(url):
    """scheme://host[:port] of an absolute URL, or None for a path such as /media/."""
    if not _absolute_http_url(url):
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _media_url(values):
    media_url = values["S3_MEDIA_URL"]
    if media_url:
        if not media_url.endswith("/") or not (
            _absolute_http_url(media_url)
            or (media_url.startswith("/") and not media_url.startswith("//"))
        ):
            raise ImproperlyConfigured(
                f"S3_MEDIA_URL={media_url!r} must be the public address of the media bucket "
                "ending with a slash: https://cdn.example.org/ or, when the reverse proxy "
                "forwards /media/ to the bucket, /media/."
            )
        return media_url
    bucket = values["S3_MEDIA_BUCKET"]
    if values["S3_ENDPOINT_URL"]:
        # Path-style addressing (the storage uses it too with an endpoint): every S3 API answers it.
        return f"{values['S3_ENDPOINT_URL'].rstrip('/')}/{bucket}/"
    region = values["S3_REGION"]
    host = f"{bucket}.s3.{region}.amazonaws.com" if region else f"{bucket}.s3.amazonaws.com"
    return f"https://{host}/"


def object_storage_settings(environ):
    """None when no S3_* variable is set. Otherwise a dict: "storages" (the "default" and
    "private" entries of STORAGES), "media_url" (MEDIA_URL: where images are read) and
    "media_origins" (what the Content-Security-Policy must let images come from)."""
    values = {name: (environ.get(name) or "").strip() for name in S3_VARIABLES}
    given = [name for name in S3_VARIABLES if values[name]]
    if not given:
        return None
    missing = [name for name in REQUIRED if not values[name]]
    if missing:
        raise ImproperlyConfigured(
            f"Object storage is half configured: {', '.join(given)} set, but "
            f"{' and '.join(missing)} missing. Set both S3_MEDIA_BUCKET and S3_PRIVATE_BUCKET "
            "(with S3_ENDPOINT_URL, S3_REGION, S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY and "
            "S3_MEDIA_URL as your provider needs), or none of the S3_* variables to keep "
            "uploaded files on this server's disk."
        )
    if values["S3_MEDIA_BUCKET"] == values["S3_PRIVATE_BUCKET"]:
        raise ImproperlyConfigured(
            "S3_MEDIA_BUCKET and S3_PRIVATE_BUCKET must name two different buckets: images in "
            "the media bucket are public, receipts and award attachments must never be."
        )
    access_key = values["S3_ACCESS_KEY_ID"] or (environ.get("AWS_ACCESS_KEY_ID") or "").strip()
    secret_key = (
        values["S3_SECRET_ACCESS_KEY"] or (environ.get("AWS_SECRET_ACCESS_KEY") or "").strip()
    )
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured(
            "Object storage credentials go in pairs: set both S3_ACCESS_KEY_ID and "
            "S3_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or neither "
            "to let boto3 find them (instance role, ~/.aws)."
        )
    endpoint = values["S3_ENDPOINT_URL"]
    if endpoint and not _absolute_http_url(endpoint):
        raise ImproperlyConfigured(
            f"S3_ENDPOINT_URL={endpoint!r} must be the S3 API's address, such as "
            "https://s3.fr-par.scw.cloud or http://127.0.0.1:9000."
        )
    media_url = _media_url(values)

    connection = {
        "endpoint_url": endpoint or None,
        "region_name": values["S3_REGION"] or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "addressing_style": "path" if endpoint else None,
    }
    origin = url_origin(media_url)
    return {
        "storages": {
            "default": {
                "BACKEND": "operations.storage.PublicMediaStorage",
                "OPTIONS": {
                    **connection,
                    "bucket_name": values["S3_MEDIA_BUCKET"],
                    "base_url": media_url,
                },
            },
            "private": {
                "BACKEND": "operations.storage.PrivateStorage",
                "OPTIONS": {**connection, "bucket_name": values["S3_PRIVATE_BUCKET"]},
            },
        },
        "media_url": media_url,
        "media_origins": [origin] if origin else [],
    }
