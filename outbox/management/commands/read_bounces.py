"""`manage.py read_bounces MAILDIR`: the bounce reader (outbox/bounces.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from outbox.bounces import read_maildir


class Command(BaseCommand):
    help = (
        "Read the delivery failure reports (RFC 3464 bounces) in a Maildir folder, mark the messages they "
        "return as bounced and mark each report read. Without a folder, PRESSROOM_BOUNCE_MAILDIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("maildir", nargs="?", help="A Maildir folder (with cur/, new/, tmp/).")

    def handle(self, *args, maildir=None, **options):
        maildir = maildir or settings.PRESSROOM_BOUNCE_MAILDIR
        if not maildir:
            raise CommandError("Which Maildir? Give its folder, or set PRESSROOM_BOUNCE_MAILDIR.")
        try:
            read, recorded = read_maildir(maildir)
        except FileNotFoundError as error:
            raise CommandError(f"No Maildir folder at {maildir}: {error}") from error
        self.stdout.write(f"{read} messages read, {recorded} bounces recorded.")
