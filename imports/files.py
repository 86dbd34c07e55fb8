"""Where an item's photos and documents are read from: the folders the
operator gives (--files: WordPress's uploads, the saved copy of the site),
then the hosts the operator allows (--allow-host), and nowhere else."""

import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

UPLOADS = "/wp-content/uploads/"
TIMEOUT_SECONDS = 30


class FileRefused(Exception):
    pass


class FileFinder:
    def __init__(self, *, folders=(), allowed_hosts=()):
        self.folders = [Path(folder) for folder in folders]
        self.allowed_hosts = {host.lower() for host in allowed_hosts}

    def read(self, location):
        """The bytes of the file at `location` (a path or an address),
        at most the upload limit and one byte more (the checks that follow
        refuse a larger file)."""
        limit = settings.PRESSROOM_MAX_UPLOAD_BYTES + 1
        local = self.local_path(location)
        if local is not None:
            with open(local, "rb") as file:
                return file.read(limit)
        parts = urlsplit(location)
        if parts.scheme not in ("http", "https"):
            raise FileRefused(f"{location}: not found in the folders given (--files)")
        if parts.hostname not in self.allowed_hosts:
            raise FileRefused(
                f"{location}: not found in the folders given (--files), and {parts.hostname} is not an "
                "allowed host (--allow-host)"
            )
        request = urllib.request.Request(location, headers={"User-Agent": "Pressroom import_archive"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                return response.read(limit)
        except (OSError, ValueError) as error:
            raise FileRefused(f"{location}: {error}") from error

    def local_path(self, location):
        candidates = []
        parts = urlsplit(location)
        if parts.scheme in ("http", "https"):
            path = unquote(parts.path)
            relative = [path.split(UPLOADS, 1)[1]] if UPLOADS in path else []
            relative += [path.lstrip("/"), f"{parts.hostname}{path}"]
            candidates = [folder / name for folder in self.folders for name in relative]
        elif not parts.scheme:
            path = Path(location)
            candidates = [path] if path.is_absolute() else [folder / path for folder in self.folders]
        for candidate in candidates:
            resolved = candidate.resolve()
            # Never outside the folders given: "../../etc/passwd" in a CSV.
            if resolved.is_file() and any(resolved.is_relative_to(folder.resolve()) for folder in self.folders):
                return resolved
        return None
