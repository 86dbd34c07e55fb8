import html
import io
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.utils import timezone

from releases.demo.seed import SEED_FILE
from releases.models import Event, Release
from releases.roles import EDITORS, PRESS_STAFF

pytestmark = pytest.mark.django_db

SEED_TITLE = "The 88th session of the Policy Commission of the World Customs Organization is being held"
SHARED_SEED_FILE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "2023-06-20-wco-policy-commission.txt"


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


def demo_accounts():
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    return out.getvalue()


def body_paragraphs(release):
    return [html.unescape(text) for text in re.findall(r"<p>(.*?)</p>", release.body, re.S)]


@pytest.fixture
def seed_release(db):
    load_demo()
    return Release.objects.get(title=SEED_TITLE)


# load_demo: the seed release, faithfully


def test_seed_release_has_the_title_of_the_seed_file(seed_release):
    assert seed_release.title == SEED_TITLE
    assert seed_release.language == "en"


def test_seed_release_body_has_the_six_paragraphs(seed_release):
    paragraphs = body_paragraphs(seed_release)
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("On June 19, the 88th session of the WCO Policy Commission began its work")
    assert paragraphs[-1] == (
        "It should be noted that the 141st/142nd Session of the Customs Cooperation Council of the WCO "
        "will be held on June 22-24."
    )


def test_seed_release_body_keeps_the_quoted_names(seed_release):
    assert 'during the discussions on "Green Customs" on the agenda' in body_paragraphs(seed_release)[3]


def test_seed_release_body_leaves_out_slogan_heading_signature_and_time(seed_release):
    text = html.unescape(seed_release.body)
    assert "Customs service is one of the main attributes" not in text
    assert SEED_TITLE not in text
    assert "SCC Press and Public Relations Department" not in text
    assert "11:52" not in text


def test_seed_release_is_signed_by_the_press_department(seed_release):
    assert seed_release.department.signed_as == "SCC Press and Public Relations Department"
    assert seed_release.department.name == "Press and Public Relations Department"


def test_seed_release_was_published_on_20_june_2023_at_11_52_baku_time(seed_release):
    assert seed_release.published_at == datetime(2023, 6, 20, 11, 52, tzinfo=ZoneInfo("Asia/Baku"))
    assert seed_release.is_published


def test_seed_release_event_is_the_policy_commission_session_in_brussels(seed_release):
    event = seed_release.event
    assert "88th session" in event.title
    assert "Policy Commission" in event.title
    assert event.organizer == "World Customs Organization"
    assert event.venue == "WCO headquarters"
    assert (event.city, event.country) == ("Brussels", "Belgium")
    assert event.start_date == date(2023, 6, 19)


def test_seed_release_delegation_is_led_by_shahin_baghirov(seed_release):
    (delegation,) = seed_release.delegations.all()
    assert delegation.event == seed_release.event
    assert delegation.head_name == "Shahin Baghirov"
    assert delegation.head_position == "Chairman of the State Customs Committee"
    assert delegation.head_rank == "lieutenant-general of the customs service"


def test_seed_release_is_tagged_with_its_subjects(seed_release):
    assert {"WCO", "Policy Commission", "Green Customs"} <= set(seed_release.tags.names())


def test_demo_copy_of_the_seed_file_is_the_press_office_original():
    if not SHARED_SEED_FILE.exists():
        pytest.skip("the shared seed file is not beside this clone")
    assert SEED_FILE.read_text(encoding="utf-8") == SHARED_SEED_FILE.read_text(encoding="utf-8")


# load_demo: the rest of the demo content


def test_customs_cooperation_council_session_exists(db):
    load_demo()
    council = Event.objects.get(title__contains="Customs Cooperation Council")
    assert "141st/142nd" in council.title
    assert (council.start_date, council.end_date) == (date(2023, 6, 22), date(2023, 6, 24))


def test_demo_has_a_draft(db):
    load_demo()
    assert Release.objects.filter(status=Release.Status.DRAFT).exists()


def test_demo_has_a_release_scheduled_in_the_future(db):
    load_demo()
    scheduled = Release.objects.filter(status=Release.Status.PUBLISHED, published_at__gt=timezone.now())
    assert scheduled.exists()
    assert all(release.is_scheduled for release in scheduled)


def test_demo_has_several_public_releases(db):
    load_demo()
    assert Release.objects.published().count() >= 3


def test_demo_rows_pass_model_validation(db):
    load_demo()
    for release in Release.objects.all():
        release.full_clean()


# load_demo: idempotent


def snapshot():
    """Every row of every model the demo touches, as stored."""
    models = [*apps.get_app_config("releases").get_models(include_auto_created=True), get_user_model()]
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def test_load_demo_twice_changes_nothing(db):
    load_demo()
    first = snapshot()
    load_demo()
    assert snapshot() == first


def test_load_demo_twice_leaves_updated_at_unchanged(db):
    load_demo()
    before = dict(Release.objects.values_list("pk", "updated_at"))
    load_demo()
    assert dict(Release.objects.values_list("pk", "updated_at")) == before


def test_load_demo_twice_reports_nothing_new(db):
    load_demo()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "0 new release(s)" in out.getvalue()


def test_load_demo_keeps_a_release_press_staff_have_edited(db):
    load_demo()
    Release.objects.filter(title=SEED_TITLE).update(lead="Edited by the press office.")
    load_demo()
    assert Release.objects.get(title=SEED_TITLE).lead == "Edited by the press office."


# demo_accounts


def test_demo_accounts_prints_each_password_once(db):
    out = demo_accounts()
    lines = out.strip().splitlines()
    assert len(lines) == 3
    assert [re.search(r"user name (\w+),", line).group(1) for line in lines] == ["admin", "editor", "press"]


def test_printed_passwords_log_in(db):
    for line in demo_accounts().strip().splitlines():
        username, password = re.search(r"user name (\S+), password (\S+)", line).groups()
        assert authenticate(username=username, password=password) is not None


def test_demo_accounts_second_run_prints_nothing_and_creates_nothing(db):
    demo_accounts()
    users = list(get_user_model().objects.order_by("pk").values())
    assert demo_accounts() == ""
    assert list(get_user_model().objects.order_by("pk").values()) == users


def test_demo_administrator_is_a_superuser(db):
    demo_accounts()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff


@pytest.mark.parametrize(("username", "role"), [("editor", EDITORS), ("press", PRESS_STAFF)])
def test_demo_staff_accounts_are_staff_in_their_role(db, username, role):
    demo_accounts()
    user = get_user_model().objects.get(username=username)
    assert user.is_staff
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [role]


def test_demo_accounts_leaves_an_existing_account_alone(db, django_user_model):
    django_user_model.objects.create_user("editor", password="kept-password-123")
    out = demo_accounts()
    assert "user name editor" not in out
    assert authenticate(username="editor", password="kept-password-123") is not None
