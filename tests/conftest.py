import pytest

from tests import services


def pytest_sessionstart(session):
    if not services.services_required():
        return
    problems = [p for p in (services.postgres_problem(), services.redis_problem()) if p]
    if problems:
        pytest.exit(
            "REQUIRE_SERVICES=1 but a required service is missing:\n  - " + "\n  - ".join(problems),
            returncode=3,
        )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres") and (problem := services.postgres_problem()):
            item.add_marker(pytest.mark.skip(reason=f"needs PostgreSQL: {problem}"))
        if item.get_closest_marker("redis") and (problem := services.redis_problem()):
            item.add_marker(pytest.mark.skip(reason=f"needs Redis: {problem}"))


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process():
    # Tests run tasks eagerly; the one test with a real worker switches this off itself.
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _new_member_limits(request, settings):
    """Test members are new members; most stories are not about the posting limits, so they
    are lifted unless a test is marked `new_member_limits`."""
    if request.node.get_closest_marker("new_member_limits"):
        return
    settings.TRELLIS_NEW_MEMBER_THREAD_INTERVAL_SECONDS = 0
    settings.TRELLIS_NEW_MEMBER_THREADS_PER_DAY = 10_000
    settings.TRELLIS_NEW_MEMBER_REPLIES_PER_DAY = 10_000
    settings.TRELLIS_NEW_MEMBER_MAX_LINKS = 10_000
    settings.TRELLIS_NEW_ACCOUNT_CIRCLES_PER_DAY = 10_000
    settings.TRELLIS_NEW_ACCOUNT_COMMUNITIES_PER_DAY = 10_000
    settings.TRELLIS_HOLD_NEW_ACCOUNT_CREATIONS = False


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Every app's tests sign people in with passwords they never need to be strong about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The one cast of personas: a community with a person in every role (anonymous, outsider,
# pending, member, other_member, champion, moderator, manager, banned, staff), built through
# the services by `tests.communities.factories.Cast`.


def _cast(visibility: str):
    from tests.communities.factories import Cast

    return Cast(visibility)


@pytest.fixture
def cast(db):
    return _cast("open")


@pytest.fixture
def open_cast(db):
    return _cast("open")


@pytest.fixture
def restricted_cast(db):
    return _cast("restricted")


@pytest.fixture
def private_cast(db):
    return _cast("private")
