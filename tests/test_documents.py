"""Documents of releases (issue 5): PDF only by default, checked by content;
stored out of MEDIA_ROOT; listed on the release page with type and size;
downloaded through a view that serves them as attachments, only for releases
the public may read."""

import io
import zipfile
from copy import copy
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


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>{defaults}'
    '<Override PartName="/{main_part}" ContentType="{main_type}"/>{overrides}</Types>'
)
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
VBA_PROJECT = "application/vnd.ms-office.vbaProject"


def office_file(main_part="word/document.xml", *, macros=False, main_type=DOCUMENT_TYPE, parts=(), **declared):
    """An Office file: its content types, main part, and `parts` ({name: bytes});
    `declared` may add `defaults` and `overrides` to [Content_Types].xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        types = CONTENT_TYPES.format(
            main_part=main_part, main_type=main_type, **{"defaults": "", "overrides": ""} | declared
        )
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(main_part, "<document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
        for name, content in dict(parts).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def office_refusal(content, settings, name="statement.docx"):
    settings.PRESSROOM_DOCUMENT_FORMATS = ["pdf", "docx", "xlsx", "pptx"]
    with pytest.raises(ValidationError) as caught:
        prepare_document(upload(content, name))
    return caught.value


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
        prepare_document(upload(b"Minutes, renamed.", "minutes.docx"))
    assert "PDF, DOCX or XLSX" in caught.value.messages[0]


def test_office_files_with_a_macro_project_are_refused(settings):
    error = office_refusal(office_file(macros=True), settings, "macros.docx")
    assert error.code == "macros"
    assert "macros.docx" in error.messages[0]


@pytest.mark.parametrize(
    "content",
    [
        # The VBA project renamed: Office finds it by the content type declared for its part...
        office_file(
            parts={"word/media/logo.png": b"\x00macro"},
            overrides=f'<Override PartName="/word/media/logo.png" ContentType="{VBA_PROJECT}"/>',
        ),
        # ...or for every part of its extension...
        office_file(
            parts={"word/settingsData.dat": b"\x00macro"},
            defaults=f'<Default Extension="dat" ContentType="{VBA_PROJECT}"/>',
        ),
        # ...or by the relationship that points at it.
        office_file(
            parts={
                "word/_rels/document.xml.rels": (
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    '<Relationship Id="rId9" Target="extras.dat" '
                    'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"/></Relationships>'
                ),
                "word/extras.dat": b"\x00macro",
            }
        ),
        # A macro-enabled document (.docm) renamed .docx.
        office_file(main_type="application/vnd.ms-word.document.macroEnabled.main+xml"),
        # An Excel 4 macro sheet.
        office_file(
            "xl/workbook.xml",
            main_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            parts={"xl/macrosheets/sheet1.xml": "<xm:macrosheet/>"},
            overrides='<Override PartName="/xl/macrosheets/sheet1.xml" '
            'ContentType="application/vnd.ms-excel.macrosheet+xml"/>',
        ),
    ],
    ids=["override", "default", "relationship", "macro-enabled-main-part", "excel-4-macro-sheet"],
)
def test_office_files_with_renamed_macro_parts_are_refused(settings, content):
    assert office_refusal(content, settings).code == "macros"


def test_office_files_with_pictures_and_printer_settings_are_accepted(settings):
    settings.PRESSROOM_DOCUMENT_FORMATS = ["docx"]
    content = office_file(
        parts={"word/media/image1.png": b"\x89PNG", "word/printerSettings1.bin": b"\x00"},
        defaults='<Default Extension="png" ContentType="image/png"/>',
        overrides='<Override PartName="/word/printerSettings1.bin" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings"/>',
    )
    assert prepare_document(upload(content, "statement.docx")).format == "docx"


def test_content_types_with_a_document_type_declaration_are_refused(settings):
    # Entities declared there are how an XML bomb ("billion laughs") is built.
    bomb = '<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY a "aaaaaaaaaa">]><Types>&a;</Types>'
    content = office_file(parts={"word/_rels/document.xml.rels": bomb})
    assert office_refusal(content, settings).code == "not_a_document"


def zip_bomb(copies, size):
    """A .docx whose central directory lists `copies` parts of `size` zero
    bytes each, all one compressed part: a few kilobytes that unpack to
    copies × size bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            CONTENT_TYPES.format(main_part="word/document.xml", main_type=DOCUMENT_TYPE, defaults="", overrides=""),
        )
        archive.writestr("word/document.xml", "<document/>")
        with archive.open("word/media/image1.png", "w", force_zip64=True) as part:
            for _ in range(size // (1 << 20)):
                part.write(bytes(1 << 20))
        kernel = archive.filelist[-1]
        for number in range(2, copies + 1):
            part = copy(kernel)
            part.filename = part.orig_filename = f"word/media/image{number}.png"
            archive.filelist.append(part)
    return buffer.getvalue()


def test_a_zip_bomb_of_10_gib_is_refused_before_it_is_unpacked(settings):
    content = zip_bomb(640, 16 << 20)
    assert len(content) < 100_000
    error = office_refusal(content, settings)
    assert error.code == "too_large_unpacked"
    assert "10.0\xa0GB" in error.messages[0]


def test_the_unpacked_size_and_the_parts_are_limits_of_their_own(settings):
    content = office_file(parts={f"word/media/image{number}.png": bytes(1000) for number in range(10)})
    settings.PRESSROOM_MAX_DOCUMENT_UNPACKED_BYTES = 9_999
    assert office_refusal(content, settings).code == "too_large_unpacked"
    settings.PRESSROOM_MAX_DOCUMENT_UNPACKED_BYTES = 100_000
    settings.PRESSROOM_MAX_DOCUMENT_PARTS = 11
    assert office_refusal(content, settings).code == "too_large_unpacked"
    settings.PRESSROOM_MAX_DOCUMENT_PARTS = 12
    assert prepare_document(upload(content, "statement.docx")).format == "docx"


def test_default_document_limits_are_2000_parts_and_256_mb_unpacked(settings):
    assert settings.PRESSROOM_MAX_DOCUMENT_PARTS == 2_000
    assert settings.PRESSROOM_MAX_DOCUMENT_UNPACKED_BYTES == 256 * 1024 * 1024


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
        "published_at_0": f"{timezone.localtime(release.published_at):%Y-%m-%d}" if release.published_at else "",
        "published_at_1": f"{timezone.localtime(release.published_at):%H:%M:%S}" if release.published_at else "",
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


@pytest.mark.parametrize(("status", "deleted"), [("draft", True), ("in_review", True), ("published", False)])
def test_press_staff_delete_documents_while_the_release_is_unpublished(
    press_client, make_release, add_document, settings, committed, status, deleted
):
    release = make_release(status=status)
    document = add_document(release)
    data = document_post(release, id=document.pk, title=document.title, language=document.language, DELETE="on")
    data["documents-INITIAL_FORMS"] = 1
    with committed():
        press_client.post(reverse("admin:releases_release_change", args=[release.pk]), data)
    assert ReleaseDocument.objects.filter(pk=document.pk).exists() is not deleted
    assert (files_under(settings.PRESSROOM_DOCUMENTS_ROOT) == []) is deleted


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
