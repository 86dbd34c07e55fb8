"""Documents attached to releases (issue 5): a statement, an agenda.

PDF only by default (PRESSROOM_DOCUMENT_FORMATS adds Office Open XML files),
each decided by its content, never its name, with the standard library alone.
Documents are kept apart from MEDIA_ROOT, in a storage that no web server
serves (STORAGES["documents"]): only the download view hands them out, with
Content-Disposition: attachment, for releases the public may read.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from functools import cached_property
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _

from releases.uploads import SHOWN_NAME_LENGTH, generated_name, read_upload, shown_name

FOLDER = "documents"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# What the public page calls each type: the names people know the files by.
LABELS = {"pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX", "pptx": "PPTX"}

PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF")
XREF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
# The main part of each Office Open XML type.
OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
# Macros in an Office file: a VBA project (vbaProject.bin, its content type
# application/vnd.ms-office.vbaProject, its relationship .../vbaProject), the
# macro-enabled main parts (...macroEnabled.main+xml) and Excel 4 macro
# sheets (...ms-excel.macrosheet+xml, intlmacrosheet).
MACRO_PART = re.compile(r"vbaproject", re.IGNORECASE)
MACRO_TYPE = re.compile(r"vbaproject|macro", re.IGNORECASE)


def is_pdf(content):
    """Enough of a PDF's structure to be one: the `%PDF-1.x` header at the
    start, and at the end `startxref`, an offset and `%%EOF`, the offset
    pointing at the cross-reference table (`xref`) or stream (`N 0 obj`).
    An HTML page or a program renamed .pdf has none of these; a PDF cut short
    in copying loses its end."""
    if not PDF_HEADER.match(content):
        return False
    ends = STARTXREF.findall(content[-4096:])
    if not ends:
        return False
    offset = int(ends[-1])
    if not 0 < offset < len(content):
        return False
    at = content[offset : offset + 40]
    return at.startswith(b"xref") or XREF_OBJECT.match(at) is not None


def is_office_file(kind):
    main_part = OFFICE_PARTS[kind]

    def check(content):
        """A ZIP archive with the parts of that Office type (what else it
        must not hold is check_office_package's)."""
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return False
        return "[Content_Types].xml" in names and main_part in names

    return check


def check_office_package(content, name):
    """Refuse an Office file that is a ZIP bomb (more parts, or more bytes
    unpacked, than PRESSROOM_MAX_DOCUMENT_PARTS and
    PRESSROOM_MAX_DOCUMENT_UNPACKED_BYTES) or that carries macros. Office
    finds a macro project by the content type [Content_Types].xml declares
    for it and by the type of the relationship that points at it, whatever
    the part is called: both are read, as well as the parts' names. Sizes are
    those the archive declares, checked before anything is unpacked; a part
    read here is unpacked no further than its declared size."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = archive.infolist()
        unpacked = sum(part.file_size for part in parts)
        part_limit, size_limit = settings.PRESSROOM_MAX_DOCUMENT_PARTS, settings.PRESSROOM_MAX_DOCUMENT_UNPACKED_BYTES
        if len(parts) > part_limit or unpacked > size_limit:
            raise ValidationError(
                _(
                    "The file “%(name)s” unpacks to %(size)s in %(parts)d parts, more than the %(limit)s in "
                    "%(part_limit)d parts accepted."
                ),
                code="too_large_unpacked",
                params={
                    "name": name,
                    "size": filesizeformat(unpacked),
                    "parts": len(parts),
                    "limit": filesizeformat(size_limit),
                    "part_limit": part_limit,
                },
            )
        try:
            declared = [
                value
                for part in parts
                if part.filename == "[Content_Types].xml" or part.filename.lower().endswith(".rels")
                for value in declared_types(archive, part)
            ]
        except (expat.ExpatError, ValueError, OSError, EOFError, zipfile.BadZipFile) as error:
            raise not_a_document(name) from error
    if any(MACRO_PART.search(part.filename) for part in parts) or any(MACRO_TYPE.search(value) for value in declared):
        raise ValidationError(
            _(
                "The file “%(name)s” contains macros, which are not accepted: save it as a document without "
                "macros (.docx, .xlsx or .pptx) and upload it again."
            ),
            code="macros",
            params={"name": name},
        )


def declared_types(archive, part):
    """The content types ([Content_Types].xml) or relationship types (a .rels
    part) that `part` of `archive` declares. Raises ExpatError or ValueError
    for a part that is not such XML."""
    found = []

    def start(_element, attributes):
        found.extend(value for key, value in attributes.items() if key in ("ContentType", "Type"))

    def refuse_doctype(*_args):
        # Office never writes one; entities are what XML bombs are built of.
        raise ValueError("a document type declaration")

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse_doctype
    with archive.open(part) as file:
        parser.ParseFile(file)
    return found


CHECKS = {"pdf": is_pdf, **{kind: is_office_file(kind) for kind in OFFICE_PARTS}}


@dataclass(frozen=True)
class PreparedDocument:
    """An accepted upload, ready to be stored when its row is saved."""

    content: bytes
    format: str
    original_filename: str

    @property
    def size(self):
        return len(self.content)

    def generated_name(self):
        return generated_name(FOLDER, self.format)


def accepted_formats():
    return [kind for kind in settings.PRESSROOM_DOCUMENT_FORMATS if kind in CHECKS]


def prepare_document(file):
    """Check an uploaded document; raise ValidationError, with a code, unless
    it is one of the accepted types (PRESSROOM_DOCUMENT_FORMATS)."""
    name = shown_name(file)
    content = read_upload(file)
    for kind in accepted_formats():
        if CHECKS[kind](content):
            if kind in OFFICE_PARTS:
                check_office_package(content, name[:SHOWN_NAME_LENGTH])
            return PreparedDocument(content=content, format=kind, original_filename=name)
    raise not_a_document(name[:SHOWN_NAME_LENGTH])


def not_a_document(name):
    kinds = accepted_formats()
    if kinds == ["pdf"]:
        message = _("The file “%(name)s” is not a PDF document, or it is damaged or incomplete.")
    else:
        message = _("The file “%(name)s” is not a document of an accepted type (%(types)s), or it is damaged.")
    return ValidationError(
        message,
        code="not_a_document",
        params={"name": name, "types": get_text_list([LABELS[kind] for kind in kinds])},
    )


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk in PRESSROOM_DOCUMENTS_ROOT, outside MEDIA_ROOT: no web
    server serves them, only the views that check who may have them. The
    folder follows the setting when tests change it."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRESSROOM_DOCUMENTS_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRESSROOM_DOCUMENTS_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Documents have no public address: link to their download view.")


def document_storage():
    """The storage of documents: STORAGES["documents"]."""
    return storages["documents"]
