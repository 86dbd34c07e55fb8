import re
import unicodedata

from django.db import migrations, models

# The tag key as releases/tagnames.py and releases/text.py made it when this
# migration was written, copied so that later changes to them leave what it
# does to a new database as it was.
LINE_BREAK = re.compile("\r\n|[\r\x0b\x85\u2028]")
PARAGRAPH_BREAK = re.compile("[\x0c\u2029]")
INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069"
    "\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
)
SPACE_WITH_BREAKS = re.compile(r"[ \u00a0]*[\n\t][\s]*")


def tag_key(name):
    text = LINE_BREAK.sub("\n", PARAGRAPH_BREAK.sub("\n\n", name or ""))
    text = unicodedata.normalize("NFC", INVISIBLE.sub("", text))
    text = SPACE_WITH_BREAKS.sub(" ", text).strip()
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("İ", "i").replace("ı", "i").casefold().replace("i\u0307", "i")
    return " ".join(text.split())[:255]


def key_and_merge_tags(apps, schema_editor):
    """Give every tag its identity key; tags that turn out to be one (made
    apart where SQLite compared only ASCII letters without case: "Şəki" and
    "şəki") are merged into the oldest, whose releases get it."""
    Tag = apps.get_model("releases", "Tag")
    TaggedRelease = apps.get_model("releases", "TaggedRelease")
    kept = {}
    for tag in Tag.objects.order_by("pk"):
        tag.name_key = tag_key(tag.name)
        if tag.name_key not in kept:
            kept[tag.name_key] = tag
            tag.save(update_fields=["name_key"])
            continue
        keep = kept[tag.name_key]
        carried = set(TaggedRelease.objects.filter(tag=keep).values_list("content_object_id", flat=True))
        for link in TaggedRelease.objects.filter(tag=tag):
            if link.content_object_id in carried:
                link.delete()
            else:
                link.tag = keep
                link.save(update_fields=["tag"])
                carried.add(link.content_object_id)
        tag.delete()


class Migration(migrations.Migration):
    """Tags are one when their names fold to the same key (tag_key):
    the key, filled in here; its uniqueness in 0010, in a transaction of its own
    (PostgreSQL alters no table with the deletions here still pending)."""

    dependencies = [
        ("releases", "0008_media_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="tag",
            name="name_key",
            field=models.CharField(
                default="",
                editable=False,
                help_text="The name folded for comparison: tags with the same key are one tag.",
                max_length=255,
                verbose_name="identity key",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(key_and_merge_tags, migrations.RunPython.noop),
    ]
