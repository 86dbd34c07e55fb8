"""Media contacts from and to CSV (distribution/contacts_csv.py): every row
checked, all imported or none, each bad row reported by its line."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from distribution import contacts_csv
from distribution.models import MediaContact

pytestmark = pytest.mark.django_db

GOOD = (
    "name,email,outlet,language,tags,departments,accredited_until,notify_when_public,notes\n"
    "Aysel Mammadova,aysel@example.az,APA,az,economy;customs,press,2030-12-31,yes,\n"
    'John Smith,john@example.com,"Reuters, Baku",en,,,,no,"Prefers mornings"\n'
)


def test_a_good_file_imports_every_contact_with_its_beats(department):
    assert contacts_csv.import_contacts(GOOD.encode()) == (2, 0)
    aysel = MediaContact.objects.get(email="aysel@example.az")
    assert aysel.language == "az" and aysel.accredited_until == date(2030, 12, 31)
    assert sorted(tag.name for tag in aysel.tags.all()) == ["customs", "economy"]
    assert list(aysel.departments.all()) == [department]
    john = MediaContact.objects.get(email="john@example.com")
    assert john.outlet == "Reuters, Baku" and not john.notify_when_public and john.notes == "Prefers mornings"


def test_importing_again_updates_the_contacts_by_address_whatever_its_case(department):
    contacts_csv.import_contacts(GOOD.encode())
    again = GOOD.replace("john@example.com", "JOHN@Example.com").replace("Reuters, Baku", "AP")
    assert contacts_csv.import_contacts(again.encode()) == (0, 2)
    assert MediaContact.objects.get(email__iexact="john@example.com").outlet == "AP"


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(department):
    bad = (
        "name,email,language,departments,accredited_until,notify_when_public\n"
        "Good Person,good@example.com,en,,,\n"
        "No Address,not-an-address,en,,,\n"
        "Twice,GOOD@example.com,en,,,\n"
        ",nameless@example.com,xx,nowhere,31/12/2030,maybe\n"
    )
    with pytest.raises(contacts_csv.ImportRefused) as refused:
        contacts_csv.import_contacts(bad.encode())
    lines = [line for line, _message in refused.value.errors]
    assert lines == [3, 4, 5, 5, 5, 5, 5]
    messages = dict(refused.value.errors)
    assert "line 2" in messages[4]
    assert not MediaContact.objects.exists()


def test_an_address_or_a_tag_longer_than_its_column_is_a_bad_row():
    """validate_email allows 320 characters, the column 254: on PostgreSQL
    the import was a 500."""
    long_address = f"{'a' * 64}@{'b' * 63}.{'c' * 63}.{'d' * 63}.example.com"
    rows = f"name,email,tags\nA,{long_address},\nB,b@example.com,{'t' * 101}\nC,c@example.com,{'t' * 100}\n"
    with pytest.raises(contacts_csv.ImportRefused) as refused:
        contacts_csv.import_contacts(rows.encode())
    assert refused.value.errors == [
        (2, "An e-mail address longer than 254 characters."),
        (3, "A tag longer than 100 characters."),
    ]
    assert not MediaContact.objects.exists()


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"\xff\xfe not utf-8", 0),
        (b"email,outlet\nx@example.com,APA\n", 1),
        (b"name,email,shoe_size\nA,a@example.com,42\n", 1),
        (b"name,email\n", 2),
        (b"name,email\nA,a@example.com,extra\n", 2),
    ],
)
def test_a_file_that_is_not_a_list_of_contacts_is_refused(content, line):
    with pytest.raises(contacts_csv.ImportRefused) as refused:
        contacts_csv.import_contacts(content)
    assert refused.value.errors[0][0] == line
    assert not MediaContact.objects.exists()


def test_export_gives_back_what_an_import_reads(department):
    contacts_csv.import_contacts(GOOD.encode())
    exported = contacts_csv.export_contacts(MediaContact.objects.all())
    MediaContact.objects.all().delete()
    assert contacts_csv.import_contacts(exported.encode()) == (2, 0)
    assert contacts_csv.export_contacts(MediaContact.objects.all()) == exported


def test_export_keeps_spreadsheet_formulas_inert_and_an_import_restores_them():
    MediaContact.objects.create(name="=HYPERLINK(1)", email="f@example.com", language="en")
    exported = contacts_csv.export_contacts(MediaContact.objects.all())
    assert "'=HYPERLINK(1)" in exported
    MediaContact.objects.all().delete()
    contacts_csv.import_contacts(exported.encode())
    assert MediaContact.objects.get().name == "=HYPERLINK(1)"


def test_admin_import_reports_problems_and_imports_nothing(press_client):
    url = reverse("admin:distribution_mediacontact_import")
    upload = SimpleUploadedFile("contacts.csv", b"name,email\nA,not-an-address\n", content_type="text/csv")
    response = press_client.post(url, {"file": upload})
    assert response.status_code == 200
    assert b"import-errors" in response.content and b"not-an-address" in response.content
    assert not MediaContact.objects.exists()


def test_admin_import_saves_a_good_file_and_says_how_many(press_client, department):
    url = reverse("admin:distribution_mediacontact_import")
    upload = SimpleUploadedFile("contacts.csv", GOOD.encode(), content_type="text/csv")
    response = press_client.post(url, {"file": upload}, follow=True)
    assert MediaContact.objects.count() == 2
    assert "2" in [str(m) for m in response.context["messages"]][0]


def test_admin_export_downloads_every_contact_for_staff_only(press_client, client, staff_user):
    MediaContact.objects.create(name="Aysel", email="aysel@example.az", language="az")
    response = press_client.get(reverse("admin:distribution_mediacontact_export"))
    assert response["Content-Type"].startswith("text/csv") and b"aysel@example.az" in response.content
    assert "no-store" in response["Cache-Control"]
    client.force_login(staff_user)
    assert client.get(reverse("admin:distribution_mediacontact_export")).status_code == 403
