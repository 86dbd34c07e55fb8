"""What each person's desk (the admin's home page) lists, as methods of
ReleaseQuerySet: every one ordered along an index, so that the desk reads a
few rows of each whatever the size of the archive (tests/test_desk.py)."""

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery

from .workflow import Status, WorkflowEvent

# How many of the newest releases the desk looks through for missing
# translations (missing_translation).
TRANSLATION_WINDOW = 500


class DeskQuerySetMixin:
    def drafts_by(self, user):
        """`user`'s drafts, the last edited first (index release_author_desk)."""
        return self.filter(status=Status.DRAFT, author=user).order_by("-updated_at", "-id")

    def with_latest_step(self):
        """Each release with its latest workflow step (index
        workflow_event_release): `latest_action`, `latest_comment`,
        `latest_actor_name` and `latest_step_at`."""
        steps = WorkflowEvent.objects.filter(release=OuterRef("pk")).order_by("-created_at", "-id")
        return self.annotate(
            latest_action=Subquery(steps.values("action")[:1]),
            latest_comment=Subquery(steps.values("comment")[:1]),
            latest_actor_name=Subquery(steps.values("actor__username")[:1]),
            latest_step_at=Subquery(steps.values("created_at")[:1]),
        )

    def sent_back_to(self, user):
        """`user`'s drafts whose latest step sent them back, with the
        editor's comment (with_latest_step)."""
        return self.drafts_by(user).with_latest_step().filter(latest_action=WorkflowEvent.Action.SENT_BACK)

    def waiting_for_review(self):
        """In review, the longest waiting first (index release_status_desk)."""
        return self.filter(status=Status.IN_REVIEW).order_by("updated_at", "id")

    def upcoming(self):
        """Scheduled, the soonest first (index release_admin_list, read
        backwards from now)."""
        return self.scheduled().order_by("published_at", "id")

    def recently_published(self):
        """Public, the newest first (index release_admin_list)."""
        return self.published().order_by("-published_at", "-id")

    def with_language_versions(self):
        """Annotate `version_<code>`: the id of the release's version in each
        language, or None. A subquery per language on the unique
        (translation_key, language) index keeps a list to one query."""
        return self.annotate(
            **{
                f"version_{code}": Subquery(
                    self.model.objects.filter(translation_key=OuterRef("translation_key"), language=code)
                    .order_by()
                    .values("pk")[:1]
                )
                for code, _name in settings.LANGUAGES
            }
        )

    def missing_translation(self, *, among=TRANSLATION_WINDOW):
        """Releases lacking a version in one of the languages, among the
        `among` newest (withdrawn ones aside), newest first. Bounded: in an
        archive translated throughout, a search of all of it for the few
        that lack a version walks every row, 6 s for 100,000 on PostgreSQL
        here; the window reads `among` rows of release_admin_list and probes
        the versions' index three times for each, at most."""
        lacking = Q()
        for code, _name in settings.LANGUAGES:
            lacking |= Q(**{f"version_{code}__isnull": True})
        newest = (
            self.model.objects.exclude(status=Status.WITHDRAWN).order_by("-published_at", "-id").values("pk")[:among]
        )
        return (
            self.filter(pk__in=Subquery(newest))
            .with_language_versions()
            .filter(lacking)
            .order_by("-published_at", "-id")
        )
