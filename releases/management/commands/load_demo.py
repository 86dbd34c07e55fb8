from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.html import escape

from releases.demo import content
from releases.demo.seed import BAKU, read_seed_release
from releases.models import Delegation, Department, Event, Release

SEED_SLUG = "wco-policy-commission-88th-session"


def paragraphs(texts):
    return "".join(f"<p>{escape(text)}</p>" for text in texts)


def baku_time(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=BAKU) if text else None


class Command(BaseCommand):
    help = (
        "Load the demo content: the press office's seed release with its event, delegation, department and "
        "tags, and further releases and events. Idempotent: what exists already is left as it is."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        departments = {
            item["slug"]: Department.objects.get_or_create(slug=item["slug"], defaults=item)[0]
            for item in content.DEPARTMENTS
        }
        events = {}
        for item in content.EVENTS:
            defaults = {
                **item,
                "start_date": date.fromisoformat(item["start_date"]),
                "end_date": item["end_date"] and date.fromisoformat(item["end_date"]),
            }
            events[item["slug"]] = Event.objects.get_or_create(slug=item["slug"], defaults=defaults)[0]
        delegations = {item["key"]: self.delegation(item, events) for item in content.DELEGATIONS}

        seed = read_seed_release()
        created = [
            self.release(
                {
                    "slug": SEED_SLUG,
                    "title": seed.title,
                    "lead": content.SEED_LEAD,
                    "body": seed.paragraphs,
                    "department": content.PRESS_DEPARTMENT,
                    "event": content.POLICY_COMMISSION,
                    "delegations": ["policy-commission"],
                    "tags": [
                        "WCO",
                        "Policy Commission",
                        "Green Customs",
                        "Fragile Borders",
                        "Technology and Innovation",
                        "Middle Corridor",
                    ],
                    "status": "published",
                    "published_at": seed.published_at,
                },
                departments,
                events,
                delegations,
            )
        ]
        created += [self.release(item, departments, events, delegations) for item in content.RELEASES]
        count = sum(created)
        self.stdout.write(f"Demo content loaded: {count} new release(s), {len(created) - count} already there.")

    def delegation(self, item, events):
        event = events[item["event"]]
        delegation, created = Delegation.objects.get_or_create(
            event=event,
            head_name=item["head_name"],
            defaults={"head_position": item["head_position"], "head_rank": item["head_rank"]},
        )
        if created:
            for order, member in enumerate(item["members"], start=1):
                delegation.members.create(order=order, **member)
        return delegation

    def release(self, item, departments, events, delegations):
        """Create the release unless one with its slug exists; True if created."""
        if Release.objects.filter(language="en", slug=item["slug"]).exists():
            return False
        published_at = item["published_at"]
        if isinstance(published_at, str):
            published_at = baku_time(published_at)
        release = Release.objects.create(
            language="en",
            slug=item["slug"],
            title=item["title"],
            lead=item["lead"],
            body=paragraphs(item["body"]),
            department=departments[item["department"]],
            event=events.get(item["event"]),
            status=item["status"],
            published_at=published_at,
            withdrawn_at=baku_time(item.get("withdrawn_at")),
            withdrawal_reason=item.get("withdrawal_reason", ""),
            author=get_user_model().objects.filter(is_superuser=True).order_by("pk").first(),
        )
        release.delegations.set(delegations[key] for key in item["delegations"])
        release.tags.set(item["tags"])
        return True
