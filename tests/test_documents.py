"""Documents of releases (issue 5): PDF only by default, checked by content;
stored out of MEDIA_ROOT; listed on the release page with type and size;
downloaded through a view that serves them as attachments, only for releases
the public may read."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from releases.documents import is_pdf, prepare_document
from releases.models import Release, ReleaseDocument
from tests.pictures import image_bytes, minimal_pdf, upload

pytestmark = pytest.mark.django_db


def files_under(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) if root.exists() else []


def pdf_upload(content=None, name="agenda.pdf"):
    return upload(minimal_pdf() if content is None else content, name, "application/pdf")


def office_file(main_part="word/document.xml", *, macros=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def add_document(committed):
    def add(release, content=None, **fields):
        fields.setdefault("title", "Agenda of the 88th session")
        document = ReleaseDocument(release=release, **fields)
        document.attach(prepare_document(pdf_upload(content)))
        with committed():
            document.save()
        return document

    return add


@pytest.fixture
def release(make_release):
    return make_release(title="The 88th session of the WCO Policy Commission")


# What is a PDF


def test_a_well_formed_pdf_is_accepted():
    document = prepare_document(pdf_upload())
    assert (document.format, document.original_filename, document.size) == ("pdf", "agenda.pdf", len(minimal_pdf()))


def test_a_pdf_whose_cross_reference_is_a_stream_is_accepted():
    content = minimal_pdf()
    first_object = content.index(b"1 0 obj")
    tail = content.rindex(b"startxref")
    assert is_pdf(content[:tail] + b"startxref\n%d\n%%%%EOF\n" % first_object)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "statement.pdf"),
        (b"%PDF-1.7\n<html><script>alert(1)</script></html>", "statement.pdf"),
        (minimal_pdf()[:-60], "cut-short.pdf"),
        (minimal_pdf().replace(b"startxref\n", b"startxref\n9"), "bad-offset.pdf"),
        (image_bytes("PNG"), "scan.pdf"),
        (b"MZ\x90\x00 a program renamed", "agenda.pdf"),
    ],
    ids=["html", "pdf-header-then-html", "truncated", "offset-past-the-end", "png", "program"],
)
def test_what_is_not_a_pdf_is_refused(content, name):
    with pytest.raises(ValidationError) as caught:
        prepare_document(pdf_upload(content, name))
    assert caught.value.code == "not_a_document"
    assert caught.value.messages == [f"The file “{name}” is not a PDF document, or it is damaged or incomplete."]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as caught:
        prepare_document(pdf_upload(b"", "empty.pdf"))
    assert caught.value.code == "empty"


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.PRESSROOM_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError) as caught:
        prepare_document(pdf_upload())
    assert caught.value.code == "too_large"


def test_office_files_are_refused_by_default():
    with pytest.raises(ValidationError):
        prepare_document(upload(office_file(), "statement.docx"))


def test_office_files_are_accepted_when_the_setting_lists_them(settings):
    settings.PRESSROOM_DOCUMENT_FORMATS = ["pdf", "docx", "xlsx"]
    assert prepare_document(upload(office_file(), "statement.docx")).format == "docx"
    assert prepare_document(upload(office_file("xl/workbook.xml"), "figures.xlsx")).format == "xlsx"
    assert prepare_document(pdf_upload()).format == "pdf"
    with pytest.raises(ValidationError) as caught:
        prepare_document(upload(office_file(macros=True), "macros.docx"))
    assert "PDF, DOCX or XLSX" in caught.value.messages[0]


# Storage: out of MEDIA_ROOT, following the rows


def test_documents_are_stored_out_of_media_root_under_generated_names(release, add_document, settings):
    document = add_document(release)
    assert files_under(settings.PRESSROOM_DOCUMENTS_ROOT) == [document.file.name]
    assert document.file.name.startswith("documents/") and document.file.name.endswith(".pdf")
    assert "agenda" not in document.file.name
    assert files_under(settings.MEDIA_ROOT) == []
    with pytest.raises(ValueError, match="no public address"):
        document.file.url  # noqa: B018


def test_deleting_a_release_removes_its_documents(release, add_document, settings, committed):
    add_document(release)
    with committed():
        release.delete()
    assert files_under(settings.PRESSROOM_DOCUMENTS_ROOT) == []


def test_a_save_that_rolls_back_leaves_no_document(release, settings, committed):
    document = ReleaseDocument(release=release, title="Agenda")
    document.attach(prepare_document(pdf_upload()))
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        document.save()
        raise RuntimeError("the save failed")
    assert files_under(settings.PRESSROOM_DOCUMENTS_ROOT) == []


# The admin


def document_post(release, **row):
    return {
        "language": release.language,
        "title": release.title,
        "slug": release.slug,
        "lead": release.lead,
        "body": release.body,
        "department": release.department_id,
        "status": release.status,
        "published_at_0": f"{timezone.localtime(release.published_at):%Y-%m-%d}",
        "published_at_1": f"{timezone.localtime(release.published_at):%H:%M:%S}",
        "_save": "Save",
        "images-TOTAL_FORMS": 0,
        "images-INITIAL_FORMS": 0,
        "documents-TOTAL_FORMS": 1,
        "documents-INITIAL_FORMS": 0,
        **{f"documents-0-{name}": value for name, value in ({"release": release.pk, "order": 1} | row).items()},
    }


def test_staff_attach_a_pdf_in_the_release_form(editor_client, release, settings, committed):
    data = document_post(release, title="Agenda", language="ru", upload=pdf_upload())
    with committed():
        response = editor_client.post(reverse("admin:releases_release_change", args=[release.pk]), data)
    assert response.status_code == 302
    document = ReleaseDocument.objects.get()
    assert (document.title, document.language, document.format, document.original_filename) == (
        "Agenda",
        "ru",
        "pdf",
        "agenda.pdf",
    )
    assert files_under(settings.PRESSROOM_DOCUMENTS_ROOT) == [document.file.name]


def test_admin_refuses_a_renamed_file_with_a_form_error(editor_client, release, settings, committed):
    data = document_post(release, title="Agenda", language="en", upload=pdf_upload(b"<html></html>", "agenda.pdf"))
    with committed():
        response = editor_client.post(reverse("admin:releases_release_change", args=[release.pk]), data)
    assert response.status_code == 200
    assert "is not a PDF document" in response.content.decode()
    assert not ReleaseDocument.objects.exists()
    assert files_under(settings.PRESSROOM_DOCUMENTS_ROOT) == []


def test_a_new_document_is_in_the_language_of_its_release(editor_client, make_release):
    release = make_release(language="az")
    response = editor_client.get(reverse("admin:releases_release_change", args=[release.pk]))
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "documents")
    assert formset.empty_form["language"].initial == "az"


# The release page and the download


def test_release_page_lists_documents_with_type_size_and_language(client, release, add_document):
    document = add_document(release, title="Agenda of the session")
    add_document(release, title="Statement", language="ru", order=2)
    page = client.get(release.get_absolute_url()).content.decode()
    assert f'<a href="{document.get_absolute_url()}" download>Agenda of the session</a>' in page
    assert f"PDF, {len(minimal_pdf())}\xa0bytes" in page
    assert 'hreflang="ru" download>Statement</a>' in page
    assert "PDF, " in page and ", Russian</span>" in page


def test_download_is_an_attachment_that_is_never_sniffed(client, release, add_document):
    document = add_document(release, title="Agenda of the 88th session")
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="agenda-of-the-88th-session.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == minimal_pdf()


def test_download_address_is_in_the_release_language(client, make_release, add_document):
    release = make_release(language="az", title="ÜGT sessiyası")
    document = add_document(release)
    assert document.get_absolute_url() == f"/az/releases/{release.slug}/documents/{document.pk}/"
    assert client.get(document.get_absolute_url()).status_code == 200
    with translation.override("en"):
        english = reverse("releases:release-document", kwargs={"slug": release.slug, "pk": document.pk})
    assert client.get(english).status_code == 404


def test_documents_of_a_withdrawn_release_stay_downloadable_like_its_page(client, make_release, add_document):
    release = make_release(status=Release.Status.WITHDRAWN)
    document = add_document(release)
    assert client.get(release.get_absolute_url()).status_code == 200
    assert client.get(document.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("status", [Release.Status.DRAFT, Release.Status.IN_REVIEW, "scheduled"])
def test_documents_of_an_unpublished_release_are_not_found(client, make_release, add_document, status):
    if status == "scheduled":
        release = make_release(published_at=timezone.now() + timedelta(days=1))
    else:
        release = make_release(status=status)
    document = add_document(release)
    assert client.get(document.get_absolute_url()).status_code == 404


def test_a_document_is_not_found_under_another_release(client, make_release, add_document):
    release, other = make_release(), make_release()
    document = add_document(release)
    url = reverse("releases:release-document", kwargs={"slug": other.slug, "pk": document.pk})
    assert client.get(url).status_code == 404


def test_an_unknown_document_is_not_found(client, release):
    url = reverse("releases:release-document", kwargs={"slug": release.slug, "pk": 999})
    assert client.get(url).status_code == 404


def test_a_document_whose_file_is_gone_is_not_found(client, release, add_document, settings):
    document = add_document(release)
    (settings.PRESSROOM_DOCUMENTS_ROOT / document.file.name).unlink()
    assert client.get(document.get_absolute_url()).status_code == 404


def test_a_preview_lists_the_documents_without_links(editor_client, make_release, add_document):
    # The download view serves only public releases: a link would lead to a 404.
    draft = make_release(status=Release.Status.DRAFT)
    document = add_document(draft, title="Draft agenda")
    page = editor_client.get(reverse("admin:releases_release_preview", args=[draft.pk])).content.decode()
    assert "Draft agenda" in page
    assert document.get_absolute_url() not in page
