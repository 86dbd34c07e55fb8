"""The outbox written to from a process of its own, as the web app does,
for tests/test_queue.py: run with the workers' environment as

    python -m tests.queue_driver enqueue COUNT   # a fan-out, in one transaction
    python -m tests.queue_driver send ADDRESS... # one message to each
    python -m tests.queue_driver bulk COUNT      # a fan-out written in bulk (send_many)
"""

import sys

import django

django.setup()

from django.db import transaction  # noqa: E402

from outbox import services  # noqa: E402


def send(addresses):
    with transaction.atomic():
        for address in addresses:
            services.send(
                kind="alert",
                key="release:1",
                to=address,
                subject=f"New release, for {address}",
                text="A release you follow is out.",
            )


def send_many(count):
    messages = [
        (f"reader{number}@example.org", "New release", "A release you follow is out.", "", {})
        for number in range(count)
    ]
    with transaction.atomic():
        services.send_many(kind="alert", key="release:1", messages=messages)


def main(command, *args):
    if command == "enqueue":
        send(f"reader{number}@example.org" for number in range(int(args[0])))
    elif command == "send":
        send(args)
    elif command == "bulk":
        send_many(int(args[0]))


if __name__ == "__main__":
    main(*sys.argv[1:])
