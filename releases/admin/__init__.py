"""The Django admin, where press staff author everything. One module per concern."""

from . import events, media, release, sharing, tags, users, workflow  # noqa: F401  (registers the ModelAdmins)
