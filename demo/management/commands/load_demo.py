import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils.html import escape
from django.utils.translation import gettext as _

from demo import content
from demo.further_releases import RELEASES
from demo.photos import add_demo_photos
from demo.seed import SEED_FILES, read_seed_release
from releases.models import Delegation, Department, Event, Release
from releases.revisions import create_initial_revisions

# The English seed release's address (the browser tests open it).
SEED_SLUG = content.SEED_SLUG


def paragraphs(texts):
    return "".join(f"<p>{escape(text)}</p>" for text in texts)


def translated_columns(item):
    """{"title": {"en": ..., "az": ...}} as {"title_en": ..., "title_az": ...}."""
    return {
        f"{name}_{language}": text
        for name, value in item.items()
        if isinstance(value, dict)
        for language, text in value.items()
    }


def columns(item):
    return {name: value for name, value in item.items() if not isinstance(value, dict)} | translated_columns(item)


def fill_blank_translations(row, item):
    """Fill the translated columns of `row` that are empty (a demo loaded before
    there were translations) and leave every other column as it is."""
    texts = translated_columns(item)
    blanks = [name for name, text in texts.items() if text and not getattr(row, name)]
    for name in blanks:
        setattr(row, name, texts[name])
    if blanks:
        row.save(update_fields=blanks)


def get_or_complete(model, item, **lookup):
    row, created = model.objects.get_or_create(**lookup, defaults=columns(item))
    if not created:
        fill_blank_translations(row, item)
    return row, created


def seed_release():
    """The seed release in the shape of the other demo releases, with the
    title, body and time of each language's seed file."""
    versions = {}
    for language, version in content.SEED_RELEASE["versions"].items():
        seed = read_seed_release(SEED_FILES[language])
        versions[language] = {
            **version,
            "title": seed.title,
            "body": seed.paragraphs,
            "published_at": seed.published_at,
        }
    return {**content.SEED_RELEASE, "versions": versions}


class Command(BaseCommand):
    help = (
        "Load the demo content in Azerbaijani, English and Russian: the press office's seed release with its "
        "event, delegation, department and tags, and further releases and events. Idempotent: what exists is "
        "left as it is, except that missing language versions and empty translations are added, and the seed "
        "release's photos where it has none."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        departments = {
            item["slug"]: get_or_complete(Department, item, slug=item["slug"])[0] for item in content.DEPARTMENTS
        }
        events = {item["slug"]: get_or_complete(Event, item, slug=item["slug"])[0] for item in content.EVENTS}
        delegations = {item["key"]: self.delegation(item, events[item["event"]]) for item in content.DELEGATIONS}
        related = {"department": departments, "event": events, "delegations": delegations}

        releases = [seed_release(), *RELEASES]
        results = [self.release(item, related) for item in releases]
        created = sum(count for count, _key in results)
        versions = sum(len(item["versions"]) for item in releases)
        self.stdout.write(f"Demo content loaded: {created} new release(s), {versions - created} already there.")
        self.stdout.write(f"Demo photos: {add_demo_photos()} added.")
        # After the photos and tags, so that the first revision holds them:
        # the first edit in the admin can then be undone to the demo's text.
        demo_releases = Release.objects.filter(translation_key__in=[key for _count, key in results])
        made = create_initial_revisions(
            [*departments.values(), *events.values(), *delegations.values(), *demo_releases],
            comment=_("Initial version, from the demo content."),
        )
        self.stdout.write(f"Demo history: {made} initial revision(s) added.")

    def delegation(self, item, event):
        head = item["head"]
        delegation, created = get_or_complete(Delegation, head, event=event, head_name_en=head["head_name"]["en"])
        for order, member in enumerate(item["members"], start=1):
            if created:
                delegation.members.create(order=order, **columns(member))
            elif row := delegation.members.filter(name_en=member["name"]["en"]).first():
                fill_blank_translations(row, member)
        return delegation

    def release(self, item, related):
        """Create the language versions of a demo release that are missing;
        the number created and the release's translation key. The versions are known by their slugs or by the
        translation key of the first found, so that a version renamed by the
        press office is not made again."""
        versions = item["versions"]
        by_slug = Q()
        for language, version in versions.items():
            by_slug |= Q(language=language, slug=version["slug"])
        found = list(
            Release.objects.filter(by_slug).order_by("created_at", "pk").values_list("language", "translation_key")
        )
        key = found[0][1] if found else uuid.uuid4()
        present = {language for language, _ in found}
        present |= set(Release.objects.filter(translation_key=key).values_list("language", flat=True))

        missing = [language for language in versions if language not in present]
        if not missing:
            return 0, key
        author = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        for language in missing:
            fields = {**item, **versions[language]}
            release = Release.objects.create(
                language=language,
                translation_key=key,
                slug=fields["slug"],
                title=fields["title"],
                lead=fields["lead"],
                body=paragraphs(fields["body"]),
                department=related["department"][fields["department"]],
                event=related["event"].get(fields["event"]),
                status=fields["status"],
                published_at=fields["published_at"],
                withdrawn_at=fields.get("withdrawn_at"),
                withdrawal_reason=fields.get("withdrawal_reason", ""),
                author=author,
            )
            release.delegations.set(related["delegations"][name] for name in fields["delegations"])
            release.tags.set(fields["tags"])
        return len(missing), key
