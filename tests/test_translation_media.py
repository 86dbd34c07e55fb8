"""Translations start with their media (issue 16): the translate form offers
to carry the original's photos, documents and tags; carried rows share the
stored files (nothing copied on disk, a file kept while a row uses it); what
still needs its text in the new language is flagged on the translation's
form until it is filled (releases.services.carry_media)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from releases.documents import prepare_document
from releases.models import Release, ReleaseDocument, ReleaseImage
from releases.services import carry_media
from tests.pictures import minimal_pdf, prepared_image, upload

pytestmark = pytest.mark.django_db

RELEASE_ADD = reverse("admin:releases_release_add")


def change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


def translate_url(release, language="az"):
    return f"{RELEASE_ADD}?translation_of={release.pk}&language={language}"


def stored_files(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) if root.exists() else []


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def english(make_release, committed):
    """An English release with two photos (the second the lead) and a document."""
    release = make_release(title="The 88th session of the WCO Policy Commission", tags=["WCO", "Green Customs"])
    with committed():
        for order, (alt_text, caption, lead) in enumerate(
            [("The delegation in Brussels.", "At WCO headquarters.", False), ("The chairman speaks.", "", True)],
            start=1,
        ):
            image = ReleaseImage(
                release=release, alt_text=alt_text, caption=caption, credit="SCC Press", is_lead=lead, order=order
            )
            image.attach(prepared_image())
            image.save()
        document = ReleaseDocument(release=release, title="Agenda of the session", language="en", order=1)
        document.attach(prepare_document(upload(minimal_pdf(), "agenda.pdf", "application/pdf")))
        document.save()
    return release


def translation_post(source, **fields):
    return {
        "language": "az",
        "translation_of": source.pk,
        "title": "ÜGT Siyasət Komissiyasının 88-ci sessiyası",
        "slug": "",
        "lead": "",
        "body": "<p>Mətn.</p>",
        "department": source.department_id,
        "tags": "WCO",
        "status": "draft",
        "images-TOTAL_FORMS": 0,
        "images-INITIAL_FORMS": 0,
        "documents-TOTAL_FORMS": 0,
        "documents-INITIAL_FORMS": 0,
        "_save": "Save",
        **fields,
    }


def translate(client, source, committed, **fields):
    with committed():
        response = client.post(translate_url(source), translation_post(source, **fields))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return Release.objects.get(language="az")


def test_the_translate_form_offers_the_media_and_shows_their_text(press_client, english):
    response = press_client.get(translate_url(english))
    html = response.content.decode()
    assert "Carry the 2 photos of the English version" in html
    assert "Carry the 1 document of the English version" in html
    assert "The delegation in Brussels." in html and "At WCO headquarters." in html
    assert "Agenda of the session" in html
    form = response.context["adminform"].form
    assert {tag.name for tag in form.initial["tags"]} == {"WCO", "Green Customs"}
    assert "Filled in from the English version: keep the names that read the same" in html
    assert form.fields["carry_photos"].initial and form.fields["carry_documents"].initial


def test_a_release_without_media_offers_none(press_client, make_release):
    html = press_client.get(translate_url(make_release())).content.decode()
    assert "Carry the" not in html


def test_carried_media_share_the_files_and_wait_for_their_text(press_client, english, settings, committed):
    before = stored_files(settings.MEDIA_ROOT), stored_files(settings.PRESSROOM_DOCUMENTS_ROOT)
    translation = translate(press_client, english, committed, carry_photos="on", carry_documents="on")
    assert (stored_files(settings.MEDIA_ROOT), stored_files(settings.PRESSROOM_DOCUMENTS_ROOT)) == before
    originals = list(english.images.order_by("order"))
    carried = list(translation.images.order_by("order"))
    assert [image.file.name for image in carried] == [image.file.name for image in originals]
    assert [(image.alt_text, image.caption, image.credit, image.is_lead) for image in carried] == [
        ("", "", "SCC Press", False),
        ("", "", "SCC Press", True),
    ]
    [document] = translation.documents.all()
    assert (document.title, document.language, document.file.name) == (
        "Agenda of the session",
        "en",
        english.documents.get().file.name,
    )
    # Waiting off the site for an alt text in Azerbaijani.
    assert not ReleaseImage.objects.filter(release=translation).shown().exists()


def test_what_still_needs_its_text_is_flagged_until_filled(press_client, english, committed):
    translation = translate(press_client, english, committed, carry_photos="on", carry_documents="on")
    html = press_client.get(change_url(translation)).content.decode()
    assert "Carried from another language version, 3 photos or documents still need their text in Azerbaijani" in html
    assert "Needs its alt text in this language. The original: “The delegation in Brussels.”" in html
    assert "Needs its caption in this language. The original: “At WCO headquarters.”" in html
    assert "Needs its title in this language. The original: “Agenda of the session”" in html
    first, second = translation.images.order_by("order")
    first.alt_text, first.caption, second.alt_text = "Nümayəndə heyəti Brüsseldə.", "ÜGT-nin qərargahında.", "Sədr."
    first.save()
    second.save()
    document = translation.documents.get()
    document.title = "Sessiyanın gündəliyi"
    document.save()
    html = press_client.get(change_url(translation)).content.decode()
    assert "still need" not in html and "still needs" not in html
    assert "Needs its" not in html


def test_nothing_is_carried_unless_asked(press_client, english, committed):
    translation = translate(press_client, english, committed)
    assert not translation.images.exists() and not translation.documents.exists()
    assert "to translate" not in press_client.get(change_url(translation)).content.decode()


def test_a_shared_file_stays_while_a_row_uses_it(press_client, english, settings, committed):
    translation = translate(press_client, english, committed, carry_photos="on", carry_documents="on")
    files = stored_files(settings.MEDIA_ROOT), stored_files(settings.PRESSROOM_DOCUMENTS_ROOT)
    with committed():
        english.delete()
    assert (stored_files(settings.MEDIA_ROOT), stored_files(settings.PRESSROOM_DOCUMENTS_ROOT)) == files
    assert translation.images.count() == 2
    with committed():
        translation.delete()
    assert stored_files(settings.MEDIA_ROOT) == [] and stored_files(settings.PRESSROOM_DOCUMENTS_ROOT) == []


def test_replacing_a_carried_photo_keeps_the_originals_file(english, settings, committed, make_release):
    translation = make_release(language="az", translation_key=english.translation_key, status=Release.Status.DRAFT)
    carry_media(source=english, translation=translation, photos=True)
    carried = translation.images.order_by("order").first()
    shared = carried.file.name
    with committed():
        carried.attach(prepared_image())
        carried.save()
    assert english.images.filter(file=shared).exists()
    assert any(name == shared for name in stored_files(settings.MEDIA_ROOT))


def test_a_carried_photo_shows_on_the_translation_once_it_has_its_alt_text(client, english, committed, make_release):
    translation = make_release(
        language="az", translation_key=english.translation_key, published_at=timezone.now() - timedelta(hours=1)
    )
    carry_media(source=english, translation=translation, photos=True)
    lead = translation.images.get(is_lead=True)
    stem = lead.file.name.rsplit(".", 1)[0]
    assert stem not in client.get(translation.get_absolute_url()).content.decode()
    lead.alt_text = "Sədr çıxış edir."
    lead.save()
    page = client.get(translation.get_absolute_url()).content.decode()
    assert "Sədr çıxış edir." in page and stem in page
