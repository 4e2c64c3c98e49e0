import pytest
from django.db import connection


def pytest_configure(config):
    """Compile the translation catalogs once, in the controlling process (not in every
    xdist worker, which would write the same files at once)."""
    if not hasattr(config, "workerinput"):
        from vorsprung.core.catalogs import compile_catalogs

        compile_catalogs()


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need PostgreSQL (row locks, real concurrency)."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL; `make test` runs it there too")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.LANGUAGE_CODE = "en"
    # The default PBKDF2 hasher takes a quarter of a second per user the factories create.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client):
    """Log ``user`` in: the test's client, or a new one built with ``client_kwargs``
    (``enforce_csrf_checks=True``, say)."""

    def login(user, **client_kwargs):
        from django.test import Client

        logged_in = Client(**client_kwargs) if client_kwargs else client
        logged_in.force_login(user)
        return logged_in

    return login
