"""Settings for the gunicorn that the load benchmark drives: the site plus one bare view."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.bench_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
LOGGING_CONFIG = None
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
