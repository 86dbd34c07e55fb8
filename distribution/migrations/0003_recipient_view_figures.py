"""Each recipient keeps the figures of their link's views (count, first
and last, addresses seen), filled here from the log of views for the
recipients there are; new views count as they are logged
(distribution.models.RecipientQuerySet.note_view)."""

from django.db import migrations, models
from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_views(apps, schema_editor):
    """A copy of RecipientQuerySet.count_views as it was written: one UPDATE."""
    Recipient = apps.get_model("distribution", "Recipient")
    ShareLinkView = apps.get_model("releases", "ShareLinkView")
    views = ShareLinkView.objects.filter(link_id=OuterRef("share_link_id")).order_by().values("link_id")

    def of_views(aggregate):
        return Subquery(views.annotate(value=aggregate).values("value")[:1])

    Recipient.objects.update(
        view_count=Coalesce(of_views(Count("pk")), 0),
        first_view_at=of_views(Min("viewed_at")),
        last_view_at=of_views(Max("viewed_at")),
        address_count=Coalesce(of_views(Count("ip_address", distinct=True)), 0),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("distribution", "0002_roles"),
        ("releases", "0017_search_folding"),
    ]

    operations = [
        migrations.AddField(
            model_name="recipient",
            name="address_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="addresses seen"),
        ),
        migrations.AddField(
            model_name="recipient",
            name="first_view_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="first view"),
        ),
        migrations.AddField(
            model_name="recipient",
            name="last_view_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="last view"),
        ),
        migrations.AddField(
            model_name="recipient",
            name="view_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="views"),
        ),
        migrations.AddIndex(
            model_name="mediacontact",
            index=models.Index(fields=["name", "id"], name="mediacontact_by_name"),
        ),
        migrations.RunPython(count_views, migrations.RunPython.noop, elidable=True),
    ]
