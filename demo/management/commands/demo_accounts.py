import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from releases.roles import EDITORS, PRESS_STAFF

# user name -> (role group, or None for an administrator)
ACCOUNTS = {"admin": None, "editor": EDITORS, "press": PRESS_STAFF}


class Command(BaseCommand):
    help = (
        "Make sure the demo accounts exist: 'admin' (administrator), 'editor' and 'press' (press staff). "
        "Each is created once with a random password, printed only then."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        for username, role in ACCOUNTS.items():
            if User.objects.filter(username=username).exists():
                continue
            password = secrets.token_urlsafe(12)
            if role is None:
                User.objects.create_superuser(username, f"{username}@example.com", password)
            else:
                user = User.objects.create_user(username, f"{username}@example.com", password, is_staff=True)
                user.groups.add(Group.objects.get(name=role))
            label = role or "Administrator"
            self.stdout.write(
                self.style.SUCCESS(f"Demo account created ({label}): user name {username}, password {password}")
            )
