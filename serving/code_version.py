"""Which version of the code answers: a digest of the project's own files.

Kept pages (serving/pagecache.py) carry it in their keys, so that a page
made by one version of the code is never served by another. A rolling
deploy runs old and new workers side by side on one Redis: without it, a
template changed by the deploy could go on being served from what old
workers kept, for up to PRESSROOM_PAGE_CACHE_SECONDS. It is read from the
files' contents, not their times, so that every machine running the same
code finds the same pages."""

import hashlib
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings


@cache
def code_fingerprint():
    """The digest of every file of the project's apps, templates,
    translations and static files, read once per process (some 2 MB)."""
    base = Path(settings.BASE_DIR)
    # The project's apps: not those installed in a virtual environment, which may lie in the project's folder.
    roots = {
        Path(app.path)
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(base) and "site-packages" not in Path(app.path).parts
    }
    roots |= {Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])}
    roots |= {Path(folder) for folder in [*settings.STATICFILES_DIRS, *settings.LOCALE_PATHS]}
    digest = hashlib.blake2b(digest_size=16)
    for root in sorted(roots):
        # Named from the project's folder, which lies elsewhere on another machine.
        name = root.relative_to(base) if root.is_relative_to(base) else root
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{name}/{path.relative_to(root)}".encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()
