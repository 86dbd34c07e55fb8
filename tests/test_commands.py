import html
import io
import re
import uuid
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.test import RequestFactory
from django.utils import timezone
from django.utils.translation import override
from modeltranslation.translator import translator

from demo import content
from demo.seed import SEED_FILE, SEED_FILES, read_seed_release
from releases.models import Delegation, DelegationMember, Department, Event, EventCover, Release, ReleaseImage, Tag
from releases.roles import EDITORS, PRESS_STAFF

pytestmark = pytest.mark.django_db

SEED_TITLE = "The 88th session of the Policy Commission of the World Customs Organization is being held"
SEED_TITLES = {
    "az": "Ümumdünya Gömrük Təşkilatının Siyasət Komissiyasının 88-ci sessiyası keçirilir",
    "en": SEED_TITLE,
    "ru": "Проходит 88-я сессия Комиссии по политике Всемирной таможенной организации",
}
AZ_ONLY_TITLE = "Gəncədə sahibkarlar üçün elektron gömrük bəyannaməsinə dair seminar keçirilib"
BAKU = ZoneInfo("Asia/Baku")
LANGUAGES = ["az", "en", "ru"]
TRANSLATED_MODELS = [Event, Department, Delegation, DelegationMember]
SHARED_SEED_FILE = Path(__file__).resolve().parents[2] / "shared" / "seed" / "2023-06-20-wco-policy-commission.txt"


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


def demo_accounts():
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    return out.getvalue()


def body_paragraphs(release):
    return [html.unescape(text) for text in re.findall(r"<p>(.*?)</p>", release.body, re.S)]


def translated_columns(model):
    """title_az, title_en, title_ru, organizer_az, ...: the per-language columns of `model`."""
    return [f"{field}_{language}" for field in translator.get_options_for_model(model).fields for language in LANGUAGES]


@pytest.fixture
def seed_release(db):
    load_demo()
    return Release.objects.get(title=SEED_TITLE)


@pytest.fixture
def seed_versions(seed_release):
    """{language: release} of the seed release's language versions."""
    return {
        release.language: release for release in Release.objects.filter(translation_key=seed_release.translation_key)
    }


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
    assert seed_release.published_at == datetime(2023, 6, 20, 11, 52, tzinfo=BAKU)
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


# load_demo: the seed release in Azerbaijani and Russian


def test_seed_release_exists_in_azerbaijani_english_and_russian(seed_versions):
    assert sorted(seed_versions) == LANGUAGES


def test_each_seed_version_has_the_title_of_its_seed_file(seed_versions):
    assert {language: release.title for language, release in seed_versions.items()} == SEED_TITLES
    for language, path in SEED_FILES.items():
        assert read_seed_release(path).title == SEED_TITLES[language]


def test_each_seed_version_has_its_own_readable_ascii_slug(seed_versions):
    assert {language: release.slug for language, release in seed_versions.items()} == {
        "az": "ugt-siyasat-komissiyasinin-88-ci-sessiyasi",
        "en": "wco-policy-commission-88th-session",
        "ru": "88-ya-sessiya-komissii-po-politike-vtamo",
    }


@pytest.mark.parametrize(
    ("language", "first_words", "head", "last_paragraph"),
    [
        (
            "az",
            "İyunun 19-da Belçika Krallığının paytaxtı Brüssel şəhərində",
            "gömrük xidmətinin general-leytenantı Şahin Bağırovun",
            "Qeyd edək ki, ÜGT-nin Gömrük Əməkdaşlığı Şurasının 141/142-ci sessiyası iyunun 22-24-də keçiriləcək.",
        ),
        (
            "ru",
            "19 июня в штаб-квартире Всемирной таможенной организации в Брюсселе",
            "генерал-лейтенантом таможенной службы Шахином Багировым",
            "Следует отметить, что 22-24 июня пройдёт 141-я/142-я сессия Совета таможенного сотрудничества ВТамО.",
        ),
    ],
)
def test_seed_translation_has_the_six_paragraphs_of_the_original(
    seed_versions, language, first_words, head, last_paragraph
):
    paragraphs = body_paragraphs(seed_versions[language])
    assert len(paragraphs) == len(body_paragraphs(seed_versions["en"])) == 6
    assert paragraphs[0].startswith(first_words)
    assert head in paragraphs[0]
    assert paragraphs[-1] == last_paragraph


def test_seed_translations_keep_the_quoted_names(seed_versions):
    assert '"Yaşıl gömrük" məsələsi' in body_paragraphs(seed_versions["az"])[3]
    assert "вопроса «Зелёная таможня»" in body_paragraphs(seed_versions["ru"])[3]
    assert '"Orta Dəhliz boyunca tranzit gömrük prosedurlarının' in body_paragraphs(seed_versions["az"])[4]
    assert "«Проекта по упрощению транзитных таможенных процедур" in body_paragraphs(seed_versions["ru"])[4]


def test_azerbaijani_seed_text_is_written_with_azerbaijani_letters(seed_versions):
    release = seed_versions["az"]
    text = " ".join([release.title, release.lead, *body_paragraphs(release)])
    assert set("əğıöşüçİ") <= set(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_seed_version_leaves_out_slogan_heading_signature_and_time(seed_versions, language):
    seed = read_seed_release(SEED_FILES[language])
    text = html.unescape(seed_versions[language].body)
    for line in (seed.slogan, seed.title, seed.signature, "11:52"):
        assert line not in text


def test_seed_versions_each_have_a_lead_in_their_language(seed_versions):
    assert "Şahin Bağırovun" in seed_versions["az"].lead
    assert "Шахином Багировым" in seed_versions["ru"].lead
    assert len({release.lead for release in seed_versions.values()}) == 3


def test_seed_versions_are_tagged_in_their_language(seed_versions):
    tags = {language: set(release.tags.names()) for language, release in seed_versions.items()}
    assert {"ÜGT", "Siyasət Komissiyası", "Yaşıl gömrük", "Orta Dəhliz"} <= tags["az"]
    assert {"ВТамО", "Комиссия по политике", "Зелёная таможня", "Средний коридор"} <= tags["ru"]
    assert not tags["az"] & tags["en"]
    assert not tags["ru"] & tags["en"]
    assert not tags["az"] & tags["ru"]


def test_tags_in_azerbaijani_and_russian_have_transliterated_slugs(seed_release):
    slugs = dict(Tag.objects.values_list("name", "slug"))
    assert slugs["Yaşıl gömrük"] == "yashil-gomruk"
    assert slugs["ÜGT"] == "ugt"
    assert slugs["Зелёная таможня"] == "zelyonaya-tamozhnya"
    assert slugs["ВТамО"] == "vtamo"


def test_seed_versions_were_all_published_on_20_june_2023_at_11_52_baku_time(seed_versions):
    for release in seed_versions.values():
        assert release.published_at == datetime(2023, 6, 20, 11, 52, tzinfo=BAKU)
        assert release.is_published


def test_seed_versions_share_department_event_and_delegation(seed_versions):
    english = seed_versions["en"]
    for release in seed_versions.values():
        assert release.department == english.department
        assert release.event == english.event
        assert list(release.delegations.all()) == list(english.delegations.all())


@pytest.mark.parametrize("language", LANGUAGES)
def test_press_department_signs_as_the_seed_file_of_each_language(seed_release, language):
    with override(language):
        department = Department.objects.get(slug=content.PRESS_DEPARTMENT)
        assert department.signed_as == read_seed_release(SEED_FILES[language]).signature


def test_translated_seed_files_have_the_layout_and_time_of_the_original():
    original = read_seed_release(SEED_FILES["en"])
    for language in ("az", "ru"):
        translation = read_seed_release(SEED_FILES[language])
        assert len(translation.paragraphs) == len(original.paragraphs)
        assert translation.published_at == original.published_at


# load_demo: the rest of the demo content


def test_customs_cooperation_council_session_exists(db):
    load_demo()
    council = Event.objects.get(title__contains="Customs Cooperation Council")
    assert "141st/142nd" in council.title
    assert (council.start_date, council.end_date) == (date(2023, 6, 22), date(2023, 6, 24))


def test_demo_has_a_published_release_in_azerbaijani_only(db):
    load_demo()
    release = Release.objects.get(title=AZ_ONLY_TITLE)
    assert release.is_published
    versions = Release.objects.filter(translation_key=release.translation_key)
    assert list(versions.values_list("language", flat=True)) == ["az"]
    assert {"Sahibkarlar", "Elektron bəyannamə", "Rəqəmsallaşma"} <= set(release.tags.names())


def test_demo_has_releases_besides_the_seed_in_all_three_languages(seed_release):
    keys = Release.objects.published().order_by().values("translation_key").annotate(languages=Count("language"))
    everywhere = [row["translation_key"] for row in keys if row["languages"] == 3]
    assert seed_release.translation_key in everywhere
    assert len(everywhere) >= 3


@pytest.mark.parametrize("language", LANGUAGES)
def test_demo_has_public_releases_in_each_language(db, language):
    load_demo()
    assert Release.objects.published().filter(language=language).count() >= 3


def test_demo_translations_are_linked_by_translation_key_not_by_slug(db):
    load_demo()
    for key in Release.objects.values_list("translation_key", flat=True).distinct():
        versions = Release.objects.filter(translation_key=key)
        assert versions.values("language").distinct().count() == versions.count()
        assert versions.values("status").distinct().count() == 1


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
    for model in [Release, *TRANSLATED_MODELS]:
        for row in model.objects.all():
            row.full_clean()


# load_demo: events, departments and delegations in three languages


@pytest.mark.parametrize(
    ("language", "title", "organizer", "place"),
    [
        (
            "az",
            "ÜGT-nin Siyasət Komissiyasının 88-ci sessiyası",
            "Ümumdünya Gömrük Təşkilatı",
            "ÜGT-nin mənzil-qərargahı, Brüssel, Belçika",
        ),
        (
            "en",
            "88th session of the WCO Policy Commission",
            "World Customs Organization",
            "WCO headquarters, Brussels, Belgium",
        ),
        (
            "ru",
            "88-я сессия Комиссии по политике ВТамО",
            "Всемирная таможенная организация",
            "Штаб-квартира ВТамО, Брюссель, Бельгия",
        ),
    ],
)
def test_policy_commission_event_reads_in_each_language(db, language, title, organizer, place):
    load_demo()
    with override(language):
        event = Event.objects.get(slug=content.POLICY_COMMISSION)
        assert (event.title, event.organizer, event.place) == (title, organizer, place)


@pytest.mark.parametrize(
    ("language", "head"),
    [
        ("az", ("Şahin Bağırov", "Dövlət Gömrük Komitəsinin sədri", "gömrük xidmətinin general-leytenantı")),
        (
            "en",
            ("Shahin Baghirov", "Chairman of the State Customs Committee", "lieutenant-general of the customs service"),
        ),
        (
            "ru",
            (
                "Шахин Багиров",
                "Председатель Государственного таможенного комитета",
                "генерал-лейтенант таможенной службы",
            ),
        ),
    ],
)
def test_delegation_head_reads_in_each_language(db, language, head):
    load_demo()
    with override(language):
        for delegation in Delegation.objects.all():
            assert (delegation.head_name, delegation.head_position, delegation.head_rank) == head


@pytest.mark.parametrize(
    ("language", "members"),
    [
        (
            "az",
            [
                ("Rauf Əliyev", "Beynəlxalq əlaqələr şöbəsinin rəisi"),
                ("Leyla Həsənova", "Beynəlxalq əlaqələr şöbəsinin baş məsləhətçisi"),
            ],
        ),
        (
            "ru",
            [
                ("Рауф Алиев", "Начальник отдела международных связей"),
                ("Лейла Гасанова", "Главный советник отдела международных связей"),
            ],
        ),
    ],
)
def test_delegation_members_read_in_each_language(db, language, members):
    load_demo()
    delegation = Delegation.objects.get(event__slug=content.COUNCIL)
    with override(language):
        assert [(member.name, member.position) for member in delegation.members.all()] == members


@pytest.mark.parametrize(
    ("language", "name", "signature"),
    [
        ("az", "Mətbuat və ictimaiyyətlə əlaqələr şöbəsi", "DGK-nin Mətbuat və ictimaiyyətlə əlaqələr şöbəsi"),
        ("en", "Press and Public Relations Department", "SCC Press and Public Relations Department"),
        ("ru", "Отдел по связям с общественностью и прессой", "Отдел по связям с общественностью и прессой ГТК"),
    ],
)
def test_press_department_reads_in_each_language(db, language, name, signature):
    load_demo()
    with override(language):
        department = Department.objects.get(slug=content.PRESS_DEPARTMENT)
        assert (department.name, department.signed_as) == (name, signature)


@pytest.mark.parametrize("model", TRANSLATED_MODELS, ids=lambda model: model.__name__)
def test_every_demo_text_has_azerbaijani_and_russian_versions(db, model):
    load_demo()
    fields = translator.get_options_for_model(model).fields
    assert model.objects.exists()
    for row in model.objects.all():
        for field in fields:
            english = getattr(row, f"{field}_en")
            if english:
                assert getattr(row, f"{field}_az") not in (None, "", english), (row, field)
                assert getattr(row, f"{field}_ru") not in (None, "", english), (row, field)


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


def test_load_demo_keeps_a_translation_press_staff_have_edited(db):
    load_demo()
    Event.objects.filter(slug=content.POLICY_COMMISSION).update(title_az="Siyasət Komissiyası, 88-ci sessiya")
    load_demo()
    assert Event.objects.get(slug=content.POLICY_COMMISSION).title_az == "Siyasət Komissiyası, 88-ci sessiya"


def test_load_demo_does_not_make_again_a_version_press_staff_have_renamed(seed_versions):
    Release.objects.filter(pk=seed_versions["az"].pk).update(slug="ugt-siyasat-komissiyasi")
    count = Release.objects.count()
    load_demo()
    assert Release.objects.count() == count
    assert not Release.objects.filter(language="az", slug=seed_versions["az"].slug).exists()


# load_demo: a demo loaded before there were translations is completed


def strip_to_english_only():
    """Leave the database as load_demo left it before translations existed:
    English releases only, each with a translation key of its own, no
    Azerbaijani or Russian tags, and empty Azerbaijani and Russian columns."""
    Release.objects.exclude(language="en").delete()
    for pk in Release.objects.values_list("pk", flat=True):
        Release.objects.filter(pk=pk).update(translation_key=uuid.uuid4())
    Tag.objects.filter(tagged_releases=None).delete()
    for model in TRANSLATED_MODELS:
        fields = translator.get_options_for_model(model).fields
        model.objects.update(**{f"{field}_{language}": None for field in fields for language in ("az", "ru")})


def translations():
    """Every per-language column of the events, departments, delegations and members, as stored."""
    return {
        model.__name__: list(model.objects.order_by("pk").values("pk", *translated_columns(model)))
        for model in TRANSLATED_MODELS
    }


def versions():
    return sorted(Release.objects.values_list("language", "slug"))


@pytest.fixture
def english_only_demo(db):
    """A complete demo's rows, then the database stripped to the English-only
    demo of the earlier version: (the complete snapshot, the English releases
    as stripped)."""
    load_demo()
    complete = {"snapshot": snapshot(), "translations": translations(), "versions": versions()}
    strip_to_english_only()
    english = list(Release.objects.order_by("pk").values())
    return complete, english


def test_rerun_on_an_english_only_demo_adds_the_azerbaijani_and_russian_versions(english_only_demo):
    complete, _ = english_only_demo
    load_demo()
    assert versions() == complete["versions"]
    english = Release.objects.get(title=SEED_TITLE)
    seed = Release.objects.filter(translation_key=english.translation_key)
    assert sorted(seed.values_list("title", flat=True)) == sorted(SEED_TITLES.values())
    assert Release.objects.filter(title=AZ_ONLY_TITLE, language="az").count() == 1


def test_rerun_on_an_english_only_demo_duplicates_nothing(english_only_demo):
    complete, _ = english_only_demo
    load_demo()
    counts = {label: len(rows) for label, rows in snapshot().items()}
    assert counts == {label: len(rows) for label, rows in complete["snapshot"].items()}


def test_rerun_on_an_english_only_demo_fills_the_empty_translations(english_only_demo):
    complete, _ = english_only_demo
    load_demo()
    assert translations() == complete["translations"]


def test_rerun_on_an_english_only_demo_leaves_the_english_releases_as_they_were(english_only_demo):
    _, english = english_only_demo
    load_demo()
    assert list(Release.objects.filter(language="en").order_by("pk").values()) == english


def test_rerun_after_completing_an_english_only_demo_changes_nothing(english_only_demo):
    load_demo()
    completed = snapshot()
    load_demo()
    assert snapshot() == completed


# load_demo: photos (issue 5), drawn with Pillow


def test_seed_release_has_a_lead_photo_and_a_gallery_in_each_language(seed_versions):
    assert sorted(seed_versions) == LANGUAGES
    for release in seed_versions.values():
        photos = list(release.images.lead_first())
        assert len(photos) == 3
        assert [photo.is_lead for photo in photos] == [True, False, False]
        assert all(photo.alt_text and photo.caption and photo.credit for photo in photos)
        assert all((photo.width, photo.height) == (1600, 1067) for photo in photos)


@pytest.mark.parametrize(
    ("language", "alt_text", "credit"),
    [
        ("az", "Dövlət Gömrük Komitəsinin nümayəndə heyəti", "DGK-nin Mətbuat xidməti"),
        ("en", "The delegation of the State Customs Committee", "SCC Press Service"),
        ("ru", "Делегация Государственного таможенного комитета", "Пресс-служба ГТК"),
    ],
)
def test_demo_photos_are_described_in_the_language_of_their_version(seed_versions, language, alt_text, credit):
    lead = seed_versions[language].images.get(is_lead=True)
    assert lead.alt_text.startswith(alt_text)
    assert lead.credit == credit


def test_policy_commission_session_has_a_cover_photo_described_in_three_languages(db):
    load_demo()
    cover = Event.objects.get(slug=content.POLICY_COMMISSION).cover
    for language in LANGUAGES:
        with override(language):
            assert cover.alt_text and cover.credit
    assert cover.alt_text_ru.startswith("Стеклянный фасад")


def test_demo_photo_files_are_written_when_load_demo_commits(db, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    stored = {str(path.relative_to(settings.MEDIA_ROOT)) for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()}
    photos = [*ReleaseImage.objects.all(), *EventCover.objects.all()]
    assert len(photos) == 10
    # Each: the original and 400, 800 and 1600 px renditions in WebP and JPEG.
    assert stored == {name for photo in photos for name in photo.stored_names()}
    assert len(stored) == 70


def test_load_demo_twice_adds_no_photo(db):
    load_demo()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo photos: 0 added." in out.getvalue()
    assert ReleaseImage.objects.count() == 9


def test_load_demo_leaves_the_photos_press_staff_have_changed(seed_versions):
    english = seed_versions["en"]
    english.images.exclude(is_lead=True).delete()
    english.images.update(alt_text="Edited by the press office.")
    load_demo()
    assert list(english.images.values_list("alt_text", flat=True)) == ["Edited by the press office."]


def test_seed_release_page_shows_its_lead_photo_and_gallery(client, seed_release):
    page = client.get(seed_release.get_absolute_url()).content.decode()
    assert page.count("<picture>") == 3
    assert 'class="lead-image"' in page and 'class="gallery"' in page


# demo_accounts


def sign_in_request():
    """What the admin's login form hands to authenticate(): django-axes,
    which guards every sign-in, needs the request."""
    return RequestFactory().post("/admin/login/", REMOTE_ADDR="127.0.0.1")


def test_demo_accounts_prints_each_password_once(db):
    out = demo_accounts()
    lines = out.strip().splitlines()
    assert len(lines) == 3
    assert [re.search(r"user name (\w+),", line).group(1) for line in lines] == ["admin", "editor", "press"]


def test_printed_passwords_log_in(db):
    for line in demo_accounts().strip().splitlines():
        username, password = re.search(r"user name (\S+), password (\S+)", line).groups()
        assert authenticate(sign_in_request(), username=username, password=password) is not None


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
    assert authenticate(sign_in_request(), username="editor", password="kept-password-123") is not None
