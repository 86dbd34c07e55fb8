"""The mapping file (TOML) an import may be given with --map: the source's
name, defaults, renames and merges of departments, events and tags, and the
readers' settings ([wxr], [html]). README, "Moving a site", documents each key."""

import tomllib
import zoneinfo

from django.conf import settings

from releases.tagnames import tag_key

KNOWN_KEYS = {
    "source", "default_department", "default_language", "time_zone", "categories_are_tags",
    "departments", "events", "tags", "wxr", "html",
}  # fmt: skip


class MappingError(ValueError):
    pass


class Mapping:
    def __init__(self, data=None):
        data = data or {}
        unknown = set(data) - KNOWN_KEYS
        if unknown:
            raise MappingError(f"unknown keys in the mapping: {', '.join(sorted(unknown))}")
        self.data = data
        self.source = data.get("source", "")
        self.default_department = data.get("default_department", "")
        self.default_language = data.get("default_language", "")
        self.categories_are_tags = bool(data.get("categories_are_tags", False))
        try:
            self.time_zone = zoneinfo.ZoneInfo(data.get("time_zone", settings.TIME_ZONE))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise MappingError(f"unknown time_zone: {data.get('time_zone')}") from error
        # Renames by the tag rules' identity of the old name: "wco", "WCO"
        # and "ＷＣＯ" are renamed alike. An empty new name drops the name.
        self.renames = {
            kind: {tag_key(old): new for old, new in data.get(kind, {}).items()}
            for kind in ("departments", "events", "tags")
        }

    @classmethod
    def load(cls, path):
        if path is None:
            return cls()
        try:
            with open(path, "rb") as file:
                return cls(tomllib.load(file))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise MappingError(f"{path}: {error}") from error

    def section(self, name):
        return self.data.get(name, {})

    def rename(self, kind, name):
        """The name `name` (a department, event or tag of the source) takes
        here: the mapping's new name, or itself."""
        return self.renames[kind].get(tag_key(name), name)
