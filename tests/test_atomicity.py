"""No data loss (issue 7): every write that spans several rows is one
transaction, so that a fault midway leaves the previous state, files
included (they are written and deleted only when the transaction commits).

Each test makes the write fail at a step after others have already written,
then finds everything as it was; a control test makes the same write without
the fault, so that the failing one cannot pass by writing nothing anyway."""

import pytest
import reversion
from django.core import mail
from django.db.models.signals import pre_delete
from reversion.models import Version

from releases.models import ChangeNote, Release, ReleaseImage, Tag, TaggedRelease, WorkflowEvent
from releases.services import merge_tags, restore_revision
from tests.pictures import image_bytes, prepared_image, upload
from tests.test_images import change_url, gallery_post, media_files, photo_form

pytestmark = pytest.mark.django_db


class Fault(Exception):
    """The server dies midway."""


def fail(*args, **kwargs):
    raise Fault("the server died midway")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what a block leaves for the commit, as a real commit would: the
    files are written and deleted then, or never if the block rolled back."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# Publishing in the admin: status, tags, photos and their files in one save


@pytest.fixture
def draft(make_release, committed):
    """A draft tagged "WCO" with one photo, its files written."""
    release = make_release(status=Release.Status.DRAFT, tags=["WCO"])
    image = ReleaseImage(release=release, alt_text="The delegation.", order=1)
    image.attach(prepared_image(size=(500, 400)))
    with committed():
        image.save()
    return release


def publish_post(release):
    """Publish, retag, replace the photo's file and add a batch of two photos."""
    image = release.images.get()
    data = gallery_post(release, [photo_form(image, upload=upload(image_bytes(size=(600, 400)), "new.jpg"))], 1)
    data |= {"status": "published", "tags": "WCO, Green Customs", "title": "Published at last"}
    data["images-upload"] = [upload(image_bytes(size=(300, 200)), f"batch-{n}.jpg") for n in (1, 2)]
    return data


def snapshot(release, settings):
    release = Release.objects.get(pk=release.pk)
    return {
        "row": (release.title, release.status, release.published_at, release.version),
        "tags": sorted(release.tags.names()),
        "images": list(release.images.values_list("pk", "file")),
        "files": media_files(settings),
        "events": WorkflowEvent.objects.count(),
        "versions": Version.objects.count(),
    }


def test_publishing_with_tags_and_photos_writes_all_of_it(editor_client, draft, settings, committed):
    with committed():
        response = editor_client.post(change_url(draft), publish_post(draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Release.Status.PUBLISHED
    assert sorted(draft.tags.names()) == ["Green Customs", "WCO"]
    assert draft.images.count() == 3
    assert len(media_files(settings)) == sum(len(image.stored_names()) for image in draft.images.all())


@pytest.mark.parametrize(
    "step",
    [
        # After the release, its tags and the replaced photo are saved.
        "releases.admin.media.GalleryFormSet.save_batch",
        # After every row is written: the admin's log entry, then the revision.
        "releases.admin.release.ReleaseAdmin.log_change",
        "reversion.models.Revision.save",
    ],
)
def test_a_publication_that_fails_midway_leaves_the_release_as_it_was(
    editor_client, draft, settings, committed, monkeypatch, step
):
    before = snapshot(draft, settings)
    monkeypatch.setattr(step, fail)
    with committed(), pytest.raises(Fault):
        editor_client.post(change_url(draft), publish_post(draft))
    assert snapshot(draft, settings) == before
    assert before["row"][1] == Release.Status.DRAFT
    assert before["tags"] == ["WCO"]
    assert mail.outbox == []


def test_a_workflow_step_that_fails_midway_leaves_the_status(draft, editor, monkeypatch):
    monkeypatch.setattr(WorkflowEvent, "save", fail)
    with pytest.raises(Fault):
        draft.publish(user=editor)
    draft.refresh_from_db()
    assert draft.status == Release.Status.DRAFT
    assert draft.published_at is None


# Restoring a revision: text, context, tags and the workflow event together


@pytest.fixture
def revised(make_release, press_user):
    """A draft saved in two revisions (press staff may restore it); returns
    it and the first one."""
    release = make_release(title="The first text", body="<p>First.</p>", status=Release.Status.DRAFT)
    with reversion.create_revision():
        release.save()
        release.tags.set(["WCO", "Green Customs"])
    release = Release.objects.get(pk=release.pk)
    with reversion.create_revision():
        release.title, release.body = "The second text", "<p>Second.</p>"
        release.save()
        release.tags.set(["Transit"])
    return release, Version.objects.get_for_object(release).last()


def test_restoring_a_revision_brings_back_its_text_and_tags(revised, press_user):
    release, first = revised
    restore_revision(release=release, version=first, user=press_user)
    release = Release.objects.get(pk=release.pk)
    assert release.title == "The first text"
    assert sorted(release.tags.names()) == ["Green Customs", "WCO"]


@pytest.mark.parametrize(
    "step",
    [
        # After the text is saved and the delegations set, before the tags.
        "releases.services.tag_names",
        # The last write: the "restored" workflow event.
        "releases.models.WorkflowEvent.save",
    ],
)
def test_a_restore_that_fails_midway_leaves_the_text_and_tags(revised, press_user, monkeypatch, step):
    release, first = revised
    versions = Version.objects.count()
    monkeypatch.setattr(step, fail)
    with pytest.raises(Fault):
        restore_revision(release=release, version=first, user=press_user)
    release = Release.objects.get(pk=release.pk)
    assert (release.title, release.body) == ("The second text", "<p>Second.</p>")
    assert sorted(release.tags.names()) == ["Transit"]
    assert Version.objects.count() == versions
    assert not WorkflowEvent.objects.filter(action=WorkflowEvent.Action.RESTORED).exists()


# Merging tags: links moved and tags deleted together


@pytest.fixture
def tagged(make_release):
    return [make_release(tags=["WCO"]), make_release(tags=["wco-2023"]), make_release(tags=["WCO", "wco-2023"])]


def links():
    return sorted(TaggedRelease.objects.values_list("content_object_id", "tag__name"))


def test_merging_tags_moves_the_releases(tagged):
    keep, other = Tag.objects.get(name="WCO"), Tag.objects.get(name="wco-2023")
    assert merge_tags(keep=keep, merge=[keep, other]) == 1
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["WCO"]
    assert TaggedRelease.objects.filter(tag=keep).count() == 3


def test_a_merge_that_fails_midway_leaves_the_tags(tagged):
    keep, other = Tag.objects.get(name="WCO"), Tag.objects.get(name="wco-2023")
    before = links()
    # The last step, deleting the merged tags, fails after the links are added.
    pre_delete.connect(fail, sender=Tag, dispatch_uid="test_atomicity_merge")
    try:
        with pytest.raises(Fault):
            merge_tags(keep=keep, merge=[keep, other])
    finally:
        pre_delete.disconnect(sender=Tag, dispatch_uid="test_atomicity_merge")
    assert links() == before
    assert Tag.objects.filter(name="wco-2023").exists()


# A public change note: the note and the release's update time together


def test_a_change_note_that_fails_midway_is_not_kept(make_release, editor, monkeypatch):
    release = make_release()
    monkeypatch.setattr("releases.models.release.ReleaseQuerySet.update", fail)
    with pytest.raises(Fault):
        release.add_change_note("Corrected the date of the session.", user=editor)
    assert not ChangeNote.objects.exists()
