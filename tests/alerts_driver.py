"""Subscribers and a release written from a process of their own, as the web
app does, for tests/test_alerts_queue.py: run with the workers' environment as

    python -m tests.alerts_driver subscribers COUNT  # confirmed, all releases in English
    python -m tests.alerts_driver publish            # an editor publishes a release: the fan-out starts
"""

import sys

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from alerts.models import Frequency, Subscriber, Subscription  # noqa: E402
from releases.models import Department, Release  # noqa: E402

TITLE = "The 88th session of the WCO Policy Commission"


def subscribers(count):
    with transaction.atomic():
        made = Subscriber.objects.bulk_create(
            Subscriber(email=f"reader{number}@example.org") for number in range(count)
        )
        Subscription.objects.bulk_create(
            Subscription(
                subscriber=subscriber,
                language="en",
                scope="en|d|e|t",
                frequency=Frequency.IMMEDIATELY,
                confirmed_at=timezone.now(),
            )
            for subscriber in made
        )


def publish():
    editor = get_user_model().objects.create_superuser("chief", "chief@example.org", "a-long-password")
    department, _created = Department.objects.get_or_create(slug="press", defaults={"name": "Press Department"})
    release = Release.objects.create(title=TITLE, lead="Held in Brussels.", department=department, language="en")
    release.publish(user=editor)


def main(command, *args):
    if command == "subscribers":
        subscribers(int(args[0]))
    elif command == "publish":
        publish()


if __name__ == "__main__":
    main(*sys.argv[1:])
