"""The Django admin, where press staff author everything. One module per concern."""

from . import events, release, tags  # noqa: F401  (registers the ModelAdmins)
