"""Create the object storage's two buckets if they are missing, and let anyone read the media
bucket's images (operations.storage.media_read_policy). Safe to run at every start: existing
buckets and their files are kept. Without the S3_* variables there is nothing to do."""

import json

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from operations.storage import ObjectStorage, PublicMediaStorage, media_read_policy


class Command(BaseCommand):
    help = "Create the media and private buckets of the object storage when missing."

    def handle(self, *args, **options):
        media, private = storages["default"], storages["private"]
        if not isinstance(media, PublicMediaStorage) or not isinstance(private, ObjectStorage):
            self.stdout.write("Files are on this server's disk: no bucket to create.")
            return
        try:
            for storage in (media, private):
                self._ensure_bucket(storage)
            media.connection.meta.client.put_bucket_policy(
                Bucket=media.bucket_name, Policy=json.dumps(media_read_policy(media.bucket_name))
            )
        except (BotoCoreError, ClientError) as error:
            raise CommandError(f"The object storage refused: {error}") from error
        self.stdout.write(
            f"Buckets ready: {media.bucket_name} (images public), {private.bucket_name}."
        )

    def _ensure_bucket(self, storage):
        client = storage.connection.meta.client
        try:
            client.head_bucket(Bucket=storage.bucket_name)
            return
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] != 404:
                raise
        arguments = {"Bucket": storage.bucket_name}
        # AWS wants the region named, except for its first one.
        if storage.region_name and storage.region_name != "us-east-1":
            arguments["CreateBucketConfiguration"] = {"LocationConstraint": storage.region_name}
        client.create_bucket(**arguments)
