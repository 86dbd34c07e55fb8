"""What the cluster test does on an app host through Django itself, as an
operator's `manage.py shell` would: run there with the hosts' environment as

    python -m bench.cluster.site prepare        # an editor, a release with a photo, a draft
    python -m bench.cluster.site publish ID
    python -m bench.cluster.site withdraw ID
    python -m bench.cluster.site enqueue COUNT  # a fan-out of COUNT mails
    python -m bench.cluster.site outbox         # the outbox's rows by status

Each prints JSON."""

import io
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings.main")

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from PIL import Image  # noqa: E402

from outbox import services  # noqa: E402
from outbox.models import Message  # noqa: E402
from releases.images import prepare_image  # noqa: E402
from releases.models import Department, Release, ReleaseImage  # noqa: E402

USERNAME = "cluster-admin"
PASSWORD = "cluster-Passw0rd-for-the-test"
REASON = "Withdrawn by the cluster test."


def editor():
    user = get_user_model().objects.filter(username=USERNAME).first()
    if user is None:
        user = get_user_model().objects.create_superuser(USERNAME, "cluster@example.org", PASSWORD)
    return user


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (30, 90, 160)).save(buffer, "JPEG")
    return prepare_image(SimpleUploadedFile("cluster.jpg", buffer.getvalue(), content_type="image/jpeg"))


def prepare():
    user = editor()
    department, _ = Department.objects.get_or_create(
        slug="cluster", defaults={"name": "Cluster Department", "signature": "Cluster Department"}
    )
    with transaction.atomic():
        shown = Release.objects.create(
            title="Cluster photo release",
            lead="A release with a photo, uploaded on app1.",
            body="<p>Stored in the object store.</p>",
            department=department,
        )
        shown.publish(user=user)
        image = ReleaseImage(release=shown, alt_text="A blue photo.")
        image.attach(photo())
        image.save()
    draft = Release.objects.create(
        title="Cluster draft release",
        lead="Published and withdrawn on app1 by the test.",
        body="<p>Seen on app2.</p>",
        department=department,
    )
    shown.refresh_from_db()
    return {
        "release": shown.pk,
        "path": shown.get_absolute_url(),
        "photo": image.file.name,
        "draft": draft.pk,
        "draft_title": draft.title,
        "username": USERNAME,
        "password": PASSWORD,
    }


def change(action, pk):
    release = Release.objects.get(pk=pk)
    if action == "publish":
        release.publish(user=editor())
    else:
        release.withdraw(user=editor(), reason=REASON)
    release.refresh_from_db()
    return {"status": release.status, "path": release.get_absolute_url()}


def enqueue(count):
    with transaction.atomic():
        for number in range(count):
            address = f"reader{number}@example.org"
            services.send(
                kind="alert", key="cluster:1", to=address, subject=f"For {address}", text="A release you follow."
            )
    return {"queued": count}


def outbox():
    return dict(Message.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))


def main(command, *args):
    if command == "prepare":
        result = prepare()
    elif command in ("publish", "withdraw"):
        result = change(command, int(args[0]))
    elif command == "enqueue":
        result = enqueue(int(args[0]))
    else:
        result = outbox()
    print(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:])
