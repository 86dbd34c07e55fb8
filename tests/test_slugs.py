import pytest

from releases.models import Release, Tag
from releases.slugs import SLUG_LENGTH, slug_from, transliterate

SLUG_MAX_LENGTH = Release._meta.get_field("slug").max_length
# 252 characters, within the title's limit; transliterated ("ş" is "sh") it
# makes a slug longer than the slug's limit.
LONG_TITLE = "Şahin Bağırov " * 18


# Transliteration


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Şahin Bağırov", "shahin-baghirov"),
        ("Gömrük Komitəsi", "gomruk-komitasi"),
        ("İlham Əliyev", "ilham-aliyev"),
        ("ÇAĞDAŞ GÖMRÜK", "chaghdash-gomruk"),
        ("Таможенный комитет", "tamozhennyy-komitet"),
        ("Шахин Багиров", "shakhin-bagirov"),
        ("Ёлка, щука и объём", "yolka-shchuka-i-obyom"),
        ("Һәмкарлыг", "hamkarlyg"),
        ("The 88th session of the WCO Policy Commission", "the-88th-session-of-the-wco-policy-commission"),
    ],
)
def test_slug_reads_like_the_title(text, slug):
    assert slug_from(text, max_length=255, fallback="release") == slug


def test_transliteration_keeps_capitals_out_and_gives_ascii():
    assert transliterate("Gömrük") == "gomruk"
    assert transliterate("Gömrük").isascii()


@pytest.mark.parametrize("text", ["!!!", "«»", "—", "   ", ""])
def test_text_without_letters_or_digits_gives_the_fallback(text):
    assert slug_from(text, max_length=255, fallback="release") == "release"


def test_slug_is_cut_to_max_length_without_a_trailing_hyphen():
    assert slug_from("abc def", max_length=4, fallback="release") == "abc"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("660.4 kilograms of heroin", "660-4-kilograms-of-heroin"),
        ("660,4 kiloqram heroin", "660-4-kiloqram-heroin"),
        ("1.5 million manat, 2,000 cigarettes", "1-5-million-manat-2-000-cigarettes"),
        ("Version 2.0. Next", "version-2-0-next"),
        ("In 2023. Then 45, 46", "in-2023-then-45-46"),
    ],
)
def test_decimal_point_or_comma_between_digits_survives(text, slug):
    assert slug_from(text, fallback="release") == slug


def test_slug_from_a_long_title_is_cut_at_a_word_near_80_characters():
    title = "The State Customs Committee and the World Customs Organization signed a memorandum on green customs"
    slug = slug_from(title, fallback="release")
    assert slug == "the-state-customs-committee-and-the-world-customs-organization-signed-a"
    assert len(slug) <= SLUG_LENGTH
    assert title.lower().replace(" ", "-").startswith(slug + "-")


def test_slug_ending_exactly_at_a_word_keeps_that_word():
    assert slug_from("abcd efgh ijkl", max_length=9, fallback="release") == "abcd-efgh"


def test_one_word_longer_than_the_cap_is_cut_inside_it():
    assert slug_from("a" * 100, fallback="release") == "a" * SLUG_LENGTH


# Release slugs


@pytest.mark.django_db
def test_release_without_slug_gets_one_from_its_title(make_release):
    assert make_release(title="Şahin Bağırov in Brussels").slug == "shahin-baghirov-in-brussels"


@pytest.mark.django_db
def test_release_keeps_the_slug_it_was_given(make_release):
    assert make_release(title="Anything", slug="chosen-slug").slug == "chosen-slug"


@pytest.mark.django_db
def test_release_with_punctuation_only_title_is_slugged_release(make_release):
    assert make_release(title="!!!").slug == "release"


@pytest.mark.django_db
def test_taken_slugs_get_numbered_suffixes(make_release):
    slugs = [make_release(title="Gömrük Komitəsi").slug for _ in range(3)]
    assert slugs == ["gomruk-komitasi", "gomruk-komitasi-2", "gomruk-komitasi-3"]


@pytest.mark.django_db
def test_punctuation_only_titles_get_numbered_suffixes(make_release):
    assert [make_release(title="?!").slug for _ in range(2)] == ["release", "release-2"]


@pytest.mark.django_db
def test_suffix_fills_the_first_free_number(make_release):
    make_release(title="WCO")
    make_release(title="WCO", slug="wco-3")
    assert make_release(title="WCO").slug == "wco-2"


@pytest.mark.django_db
def test_slug_that_only_starts_like_the_title_does_not_count_as_taken(make_release):
    make_release(title="WCO session")
    assert make_release(title="WCO").slug == "wco"


@pytest.mark.django_db
def test_slug_taken_in_another_language_is_free(make_release):
    make_release(title="Gömrük Komitəsi", language="az")
    assert make_release(title="Gömrük Komitəsi", language="en").slug == "gomruk-komitasi"


@pytest.mark.django_db
def test_long_title_is_cut_to_max_length(make_release):
    assert len(slug_from(LONG_TITLE, max_length=1000, fallback="release")) > SLUG_MAX_LENGTH
    slug = make_release(title=LONG_TITLE).slug
    assert len(slug) <= SLUG_LENGTH
    assert slug.startswith("shahin-baghirov-shahin-baghirov")
    assert not slug.endswith("-")


@pytest.mark.django_db
def test_long_titles_stay_within_max_length_with_their_suffixes(make_release):
    slugs = [make_release(title=LONG_TITLE).slug for _ in range(4)]
    assert len(set(slugs)) == 4
    assert all(len(slug) <= SLUG_MAX_LENGTH for slug in slugs)
    assert [slug[-2:] for slug in slugs[1:]] == ["-2", "-3", "-4"]


@pytest.mark.django_db
def test_title_change_keeps_the_slug(make_release):
    release = make_release(title="First title")
    release.title = "Second title"
    release.save()
    assert release.slug == "first-title"


@pytest.mark.django_db
def test_release_resaved_keeps_its_own_slug(make_release):
    release = make_release(title="WCO")
    release.slug = ""
    release.save()
    assert release.slug == "wco"


# Tag slugs and names


@pytest.mark.django_db
def test_tag_slug_is_transliterated():
    assert Tag.objects.create(name="Yaşıl gömrük").slug == "yashil-gomruk"


@pytest.mark.django_db
def test_tag_of_punctuation_only_gets_a_slug():
    assert Tag.objects.create(name="!!!").slug == "tag"


@pytest.mark.django_db
def test_tags_whose_slugs_collide_get_distinct_slugs(make_release):
    release = make_release()
    release.tags.add("Gomruk")
    release.tags.add("Gömrük")
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["gomruk", "gomruk-2"]


@pytest.mark.django_db
def test_colliding_tag_slugs_are_numbered_as_release_slugs_are(make_release):
    release = make_release()
    # Four names, four tags (their identity keys differ), one slug to share.
    release.tags.set(["Gomruk", "Gömrük", "GÖMRÜK!", "Gömrük?"])
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["gomruk", "gomruk-2", "gomruk-3", "gomruk-4"]


@pytest.mark.django_db
def test_long_tag_name_gets_a_slug_cut_at_a_word():
    tag = Tag.objects.create(name="Dünya Gömrük Təşkilatının Siyasət Komissiyasının səksən səkkizinci iclası Brüsseldə")
    assert tag.slug == "dunya-gomruk-tashkilatinin-siyasat-komissiyasinin-saksan-sakkizinci-iclasi"


@pytest.mark.django_db
def test_tags_differing_only_in_case_are_one_tag(make_release):
    first, second = make_release(), make_release()
    first.tags.set(["WCO"])
    second.tags.add("wco")
    assert list(Tag.objects.values_list("name", flat=True)) == ["WCO"]
    assert list(second.tags.names()) == ["WCO"]


@pytest.mark.django_db
def test_tags_differing_only_in_case_in_one_call_make_one_tag(make_release):
    release = make_release()
    release.tags.set(["WCO", "wco"])
    assert list(release.tags.names()) == ["WCO"]


@pytest.mark.django_db
def test_full_clean_makes_the_slug_it_validates(make_release):
    make_release(title="Gömrük Komitəsi")
    release = Release(title="Gömrük Komitəsi", department=make_release().department)
    release.full_clean()
    assert release.slug == "gomruk-komitasi-2"
