import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("accept", "expected"), [("az", "az"), ("ru-RU,ru;q=0.9", "ru"), ("de", "en")])
def test_admin_speaks_the_browsers_language(press_client, accept, expected):
    response = press_client.get("/admin/", HTTP_ACCEPT_LANGUAGE=accept)
    assert f'<html lang="{expected}"' in response.content.decode()


def test_public_pages_keep_the_language_of_their_address(client):
    response = client.get("/releases/", HTTP_ACCEPT_LANGUAGE="ru")
    assert '<html lang="en"' in response.content.decode()
