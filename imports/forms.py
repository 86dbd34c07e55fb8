"""The admin's upload of an archive file (README, "Moving a site"): the
choices of `import_archive`, checked here, and the file kept where the
workers read it, for an import run in the background."""

import re
import secrets
import tomllib
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from imports.mapping import Mapping, MappingError
from imports.models import ImportRun

# A host name as --allow-host takes it: letters, digits, dots, hyphens.
HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


class ArchiveUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Archive file"),
        help_text=_("A WordPress export (WXR), an RSS or Atom feed, or a CSV file."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Guess from the file")), ("wxr", "WordPress (WXR)"), ("rss", "RSS / Atom"), ("csv", "CSV")],
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("As each item says")), *settings.LANGUAGES],
        help_text=_("The language of items that do not say theirs."),
    )
    mapping = forms.FileField(
        label=_("Mapping file"),
        required=False,
        help_text=_("TOML: the source's name, renames of departments, events and tags (README, “Moving a site”)."),
    )
    since = forms.DateField(label=_("Published since"), required=False, help_text=_("Only items from this day on."))
    limit = forms.IntegerField(label=_("At most"), required=False, min_value=1, help_text=_("items"))
    allowed_hosts = forms.CharField(
        label=_("Fetch photos and documents from"),
        required=False,
        help_text=_("The old site's host names, separated by spaces, for example: customs.gov.az"),
    )
    skip_broken_files = forms.BooleanField(
        label=_("Import an item without a photo or document that cannot be had"),
        required=False,
        help_text=_("Otherwise such an item is refused, and listed in the report."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run"), required=False, help_text=_("Say in the report what would be done, and change nothing.")
    )

    def clean_mapping(self):
        mapping = self.cleaned_data["mapping"]
        if mapping is not None:
            try:
                Mapping(tomllib.loads(mapping.read().decode("utf-8")))
            except (UnicodeDecodeError, tomllib.TOMLDecodeError, MappingError) as error:
                raise forms.ValidationError(gettext("Not a mapping file: %(error)s") % {"error": error}) from error
            mapping.seek(0)
        return mapping

    def clean_allowed_hosts(self):
        hosts = self.cleaned_data["allowed_hosts"].lower().replace(",", " ").split()
        wrong = [host for host in hosts if not HOST.match(host)]
        if wrong:
            raise forms.ValidationError(gettext("Not a host name: %(host)s") % {"host": wrong[0]})
        return hosts

    def queue(self):
        """Keep the files in a folder of their own under IMPORT_UPLOADS_ROOT
        (the source of the run, read by a worker, kept for the record) and
        queue the run: returns it."""
        folder = settings.PRESSROOM_IMPORT_UPLOADS_ROOT / f"{timezone.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"
        folder.mkdir(parents=True)
        data = self.cleaned_data
        source = _keep(data["file"], folder)
        arguments = [str(source)]
        for flag, value in (
            ("--format", data["format"]),
            ("--language", data["language"]),
            ("--map", data["mapping"] and str(_keep(data["mapping"], folder, prefix="mapping-"))),
            ("--since", data["since"] and data["since"].isoformat()),
            ("--limit", data["limit"] and str(data["limit"])),
        ):
            if value:
                arguments += [flag, value]
        arguments += [part for host in data["allowed_hosts"] for part in ("--allow-host", host)]
        arguments += [
            flag for flag, given in (("--skip-broken-files", data["skip_broken_files"]), ("--dry-run", data["dry_run"]))
            if given
        ]  # fmt: skip
        return ImportRun.objects.queue(arguments)


def _keep(upload, folder, *, prefix=""):
    """Write `upload` into `folder` under its own name, made safe (the
    format is guessed from its ending); its absolute path."""
    try:
        name = get_valid_filename(Path(upload.name).name)
    except SuspiciousFileOperation:  # a name of dots only
        name = "upload"
    path = Path(folder) / f"{prefix}{name}"
    with open(path, "wb") as file:
        for chunk in upload.chunks():
            file.write(chunk)
    return path.resolve()
