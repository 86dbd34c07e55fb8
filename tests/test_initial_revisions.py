"""History starts with the content (issue 16): what is made outside the
admin (the demo, an import) gets its initial revision, as django-reversion's
createinitialrevisions gives it, so that the first edit can be undone."""

import io

import pytest
from django.core.management import call_command
from reversion.models import Version

from releases.models import Delegation, Department, Event, Release
from releases.revisions import create_initial_revisions

pytestmark = pytest.mark.django_db


def load_demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def revision_counts(model):
    """{object id: revisions} of every row of `model`."""
    counts = dict.fromkeys((str(pk) for pk in model.objects.values_list("pk", flat=True)), 0)
    for object_id in Version.objects.get_for_model(model).values_list("object_id", flat=True):
        counts[object_id] += 1
    return counts


def test_load_demo_leaves_every_release_event_delegation_and_department_with_one_revision():
    load_demo()
    for model in (Release, Event, Delegation, Department):
        counts = revision_counts(model)
        assert counts and set(counts.values()) == {1}, model


def test_the_demo_releases_first_revision_holds_its_text_and_tags():
    load_demo()
    release = Release.objects.filter(tags__isnull=False).first()
    version = Version.objects.get_for_object(release).get()
    assert version.field_dict["title"] == release.title
    assert version.revision.comment == "Initial version, from the demo content."
    tag_links = version.revision.version_set.filter(content_type__model="taggedrelease")
    assert tag_links.count() == release.tags.count()


def test_load_demo_run_again_adds_no_revision():
    load_demo()
    before = Version.objects.count()
    assert "0 initial revision(s)" in load_demo()
    assert Version.objects.count() == before


def test_an_object_with_a_revision_already_gets_none(department):
    assert create_initial_revisions([department], comment="first") == 1
    assert create_initial_revisions([department], comment="again") == 0
    assert Version.objects.get_for_object(department).get().revision.comment == "first"
