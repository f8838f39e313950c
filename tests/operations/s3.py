"""Object storage for the tests: moto's S3 server on a free port of 127.0.0.1, and the site's
storages pointed at it the way the S3_* variables would (see the fixtures of
test_object_storage.py)."""

import io
import logging
import socket
import urllib.error
import urllib.request
from contextlib import contextmanager

import boto3
from django.apps import apps
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import models

from operations.storage_settings import object_storage_settings

MEDIA_BUCKET = "ess-media"
PRIVATE_BUCKET = "ess-private"
ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"
REGION = "eu-west-3"
MIDDLEWARE = "operations.storage_errors.StorageErrorMiddleware"


@contextmanager
def moto_server():
    """moto's S3 server on a free port of 127.0.0.1, in a thread; yields its address."""
    from moto.server import ThreadedMotoServer

    # One log line per request to moto drowns the output of a failing test.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def closed_port_endpoint():
    """An address where nothing listens: the storage is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def anonymous_get(url):
    """(status, body) of a plain GET, without any credentials."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # only ever 127.0.0.1 here
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class ObjectStorage:
    """The site's storages on moto, as base.py sets them from the environment."""

    def __init__(self, settings, monkeypatch, endpoint):
        self.settings = settings
        self.monkeypatch = monkeypatch
        self.endpoint = endpoint
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
        if MIDDLEWARE not in settings.MIDDLEWARE:
            settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]

    def environment(self, endpoint, media_url):
        return {
            "S3_ENDPOINT_URL": endpoint,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "S3_MEDIA_BUCKET": MEDIA_BUCKET,
            "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
            "S3_MEDIA_URL": media_url,
        }

    def use(self, endpoint=None, media_url=None):
        """Point the storages at `endpoint` (moto by default), images public under `media_url`
        (moto's address of the media bucket by default)."""
        self.media_url = media_url or f"{self.endpoint}/{MEDIA_BUCKET}/"
        config = object_storage_settings(
            self.environment(endpoint or self.endpoint, self.media_url)
        )
        # Django empties its cache of storages (and default_storage) when STORAGES changes.
        self.settings.STORAGES = {**self.settings.STORAGES, **config["storages"]}
        self.settings.MEDIA_URL = config["media_url"]
        # A FileField given a callable (members.storage.private_storage) calls it once, when its
        # model is defined: call it again, as Django would at startup with these settings.
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.FileField) and hasattr(field, "_storage_callable"):
                    self.monkeypatch.setattr(field, "storage", field._storage_callable())
        return self

    def go_down(self):
        """The storage stops answering; the public address of the images stays the same."""
        return self.use(endpoint=closed_port_endpoint(), media_url=self.media_url)

    def object_url(self, bucket, key):
        return f"{self.endpoint}/{bucket}/{key}"

    def read(self, bucket, key):
        return self.client.get_object(Bucket=bucket, Key=key)["Body"].read()

    def keys(self, bucket, prefix=""):
        listing = self.client.list_objects_v2(Bucket=bucket, Prefix=prefix)
        return [entry["Key"] for entry in listing.get("Contents", [])]


def object_storage_on(settings, monkeypatch, endpoint):
    """The site's storages on the moto server at `endpoint`, its two buckets ready."""
    storage = ObjectStorage(settings, monkeypatch, endpoint).use()
    call_command("create_storage_buckets", verbosity=0, stdout=io.StringIO())
    assert storages["default"].bucket_name == MEDIA_BUCKET
    return storage
