"""`manage.py media_bucket`: the object store's bucket made ready for the
site, or checked (README, "Serving photos and documents")."""

import json

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

STATEMENT_ID = "PressroomPublicImages"


def public_images_statement(bucket, location):
    """Anyone may read the images (under their location), nothing else:
    documents stay private, the download view streams them."""
    return {
        "Sid": STATEMENT_ID,
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/{location}/*",
    }


class Command(BaseCommand):
    help = (
        "Create the object store's bucket if it is missing and let anyone read the images under its media "
        "prefix (documents stay private); with --check, only report, and fail if anything is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Change nothing; exit 1 if the bucket is not ready.")

    def handle(self, *args, check=False, **options):
        images = storages["default"]
        if not hasattr(images, "bucket_name"):
            raise CommandError("Images are kept on disk (AWS_STORAGE_BUCKET_NAME is not set): there is no bucket.")
        client = images.connection.meta.client
        bucket, wanted = images.bucket_name, public_images_statement(images.bucket_name, images.location)
        exists = bucket in [entry["Name"] for entry in client.list_buckets()["Buckets"]]
        statements = self.statements(client, bucket) if exists else []
        ready = exists and wanted in statements
        if check:
            if not ready:
                missing = "the bucket" if not exists else "the public read of the images"
                raise CommandError(f"Bucket {bucket}: {missing} is missing; run `manage.py media_bucket`.")
            self.stdout.write(f"Bucket {bucket} is ready: images under {images.location}/ are public.")
            return
        if not exists:
            client.create_bucket(Bucket=bucket)
            self.stdout.write(f"Bucket {bucket} created.")
        if not ready:
            # The statements of others (a bucket shared with other sites) are kept.
            kept = [statement for statement in statements if statement.get("Sid") != STATEMENT_ID]
            policy = {"Version": "2012-10-17", "Statement": [*kept, wanted]}
            client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
        self.stdout.write(f"Bucket {bucket} is ready: images under {images.location}/ are public.")

    def statements(self, client, bucket):
        try:
            policy = client.get_bucket_policy(Bucket=bucket)["Policy"]
        except client.exceptions.ClientError as error:
            if error.response["Error"]["Code"] == "NoSuchBucketPolicy":
                return []
            raise
        return json.loads(policy).get("Statement", [])
