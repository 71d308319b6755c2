import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_admin_lists_authors_and_works_for_staff(admin_client):
    """Staff see the record in the admin: the seed researcher and his ShadowSync paper."""
    call_command("load_demo", stdout=None)

    authors = admin_client.get("/admin/works/author/?q=Zhou")
    works = admin_client.get("/admin/works/work/?q=ShadowSync")

    assert authors.status_code == 200
    assert "Eric Zhou" in authors.text
    assert "1 result" in authors.text
    assert "ShadowSync: Performing Synchronization" in works.text


def test_admin_refuses_anonymous_visitors(client):
    """The admin redirects anyone not logged in to its login page."""
    response = client.get("/admin/works/author/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/works/author/"
