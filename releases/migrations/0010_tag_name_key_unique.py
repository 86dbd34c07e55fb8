from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0009_tag_name_key"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.UniqueConstraint(
                fields=("name_key",), name="tag_name_key_unique", violation_error_message="A tag with this name already exists."
            ),
        ),
    ]
