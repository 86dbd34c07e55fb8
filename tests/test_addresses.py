"""releases.addresses: the one way an absolute address is made."""

import pytest

from releases.addresses import absolute_media_url, absolute_url


@pytest.fixture(autouse=True)
def site(site_url):
    """SITE_URL https://press.example.gov (conftest)."""


def test_a_path_is_made_absolute_on_site_url():
    assert absolute_url("/releases/") == "https://press.example.gov/releases/"


def test_the_site_itself_is_site_url():
    assert absolute_url() == "https://press.example.gov"


def test_a_path_of_any_letters_is_percent_encoded():
    assert absolute_url("/az/xəbərlər/таможня/") == (
        "https://press.example.gov/az/x%C9%99b%C9%99rl%C9%99r/%D1%82%D0%B0%D0%BC%D0%BE%D0%B6%D0%BD%D1%8F/"
    )


def test_a_path_already_encoded_stays_as_it_is():
    encoded = "/az/x%C9%99b%C9%99rl%C9%99r/?tag=green+customs&page=2"
    assert absolute_url(encoded) == f"https://press.example.gov{encoded}"


def test_a_nul_and_spaces_in_a_path_are_encoded():
    assert absolute_url("/a b\x00/") == "https://press.example.gov/a%20b%00/"


def test_a_media_file_of_this_site_is_made_absolute_with_its_letters_encoded():
    assert absolute_media_url("/media/şəkil.jpg") == "https://press.example.gov/media/%C5%9F%C9%99kil.jpg"


def test_a_media_file_of_an_object_store_stays_as_it_is():
    assert absolute_media_url("https://cdn.example.com/media/a.jpg") == "https://cdn.example.com/media/a.jpg"
