"""What every upload goes through before it is checked for its type (issue 5):
the size limit, empty files, the name it is shown by, and the name it is
stored under, which is generated and never the uploader's."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from serving.outage import store_answers

# A file name from the uploader's computer, in an error message: long enough
# to recognise, short enough not to flood the form.
SHOWN_NAME_LENGTH = 80


def shown_name(file):
    """The uploader's name for `file`, without any folder, for messages and
    for the record (`original_filename`); never used to store the file."""
    name = PurePath(str(getattr(file, "name", "") or "").replace("\\", "/")).name
    return name[:255]


def read_upload(file, *, limit=None):
    """The bytes of an uploaded file, read up to the size limit
    (PRESSROOM_MAX_UPLOAD_BYTES): empty files and larger ones are refused."""
    limit = settings.PRESSROOM_MAX_UPLOAD_BYTES if limit is None else limit
    name = shown_name(file)[:SHOWN_NAME_LENGTH]
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise too_large(name, size, limit)
    if hasattr(file, "seek"):
        file.seek(0)
    content = file.read(limit + 1)
    if not content:
        raise ValidationError(_("The file “%(name)s” is empty."), code="empty", params={"name": name})
    if len(content) > limit:
        raise too_large(name, len(content), limit)
    return content


def too_large(name, size, limit):
    return ValidationError(
        _("The file “%(name)s” is larger (%(size)s) than the %(limit)s accepted."),
        code="too_large",
        params={"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
    )


def require_store(storage):
    """Raise ValidationError unless `storage` answers now: with the object
    store unreachable, an upload is a form error and nothing is saved, where
    its row would otherwise be saved and its files fail to follow."""
    if not store_answers(storage):
        raise ValidationError(
            _("The file store cannot be reached just now, so nothing was saved. Please try again in a few minutes."),
            code="store_unavailable",
        )


def generated_name(folder, extension):
    """`folder/2024/06/<32 random hex digits>.<extension>`: dated folders, so
    that no folder grows without end, and a random name, so that no name is
    guessed or taken twice. Random rather than a hash of the content: two
    releases may carry the same photo, and each row owns its own files."""
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def delete_files(storage, names):
    """Delete `names` from `storage`; a name already gone is no error."""
    for name in names:
        if name:
            storage.delete(name)
