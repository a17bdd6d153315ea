"""Trellis settings: one module, configured by environment variables.

No variables at all gives the zero set-up demo: SQLite, Celery tasks run eagerly in
process, email on the console, DEBUG on. Production sets DATABASE_URL,
CELERY_BROKER_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=0.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0.")
    SECRET_KEY = "django-insecure-trellis-local-development-only-key-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "communities",
    "mentoring",
    "feedback",
    "knowledge",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.request_guard.RefuseHostileAddressesMiddleware",
    "config.csp.TrellisCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "communities.core.zones.ViewerTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "communities.core.mfa.RequireMFAForPowersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "communities.context_processors.notifications",
            ],
            # `{% url %}` remembered per process (communities/core/links.py).
            "builtins": ["communities.templatetags.remembered_urls"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiles every plan of these short page queries, costing ~100 ms each time.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Connections kept between requests, checked before reuse: a new one per request costs
    # milliseconds, and the hot statements are prepared once per connection.
    DATABASES["default"]["CONN_MAX_AGE"] = int(env("DB_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Only the hot statements that ask are prepared (communities/core/prepared.py): Django's
    # own cursors bind on the client and never prepare, whatever the threshold. "0" turns
    # prepared statements off, as a pooler in transaction mode (PgBouncer < 1.21) needs.
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = (
        2**31 - 1 if env_bool("DB_PREPARED_STATEMENTS", True) else None
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "communities.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
    "knowledge.auth.CommunityManagerAdminAccess",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: email is the login; verification is mandatory in production.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "optional" if DEBUG else "mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# Every login (site, Wagtail admin, /kb/ private pages, Django admin) goes through allauth, so
# its rate limits, email verification and MFA apply at every door.
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"

# allauth MFA: TOTP with recovery codes for every member; staff, managers and moderators
# must set it up before they use their powers (on in production, off in the demo and tests).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Trellis"
MFA_PASSKEY_LOGIN_ENABLED = False
TRELLIS_MFA_REQUIRED_FOR_POWERS = env_bool("TRELLIS_MFA_REQUIRED_FOR_POWERS", not DEBUG)

ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Trellis] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"

# django-guardian: object permissions for roles on a community; no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Redis: one URL serves the broker and, in production, the shared cache that rate limits need.
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or env("REDIS_URL")
REDIS_URL = env("REDIS_URL") or CELERY_BROKER_URL
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

if REDIS_URL and env_bool("CACHE_USE_REDIS", not DEBUG):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Wagtail runs small jobs of its own through Django's tasks framework; they run in process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

WAGTAIL_SITE_NAME = "Trellis knowledge base"
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No third-party avatars in the admin: the Content-Security-Policy allows images from 'self'.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Trellis <noreply@trellis.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Who may create a community: "staff" or "confirmed" (any member with a confirmed email).
TRELLIS_COMMUNITY_CREATORS = env("TRELLIS_COMMUNITY_CREATORS", "confirmed")

# New members (their first days in a community, or before their first posts there) post
# within these limits, so a fresh account cannot flood a community.
TRELLIS_NEW_MEMBER_DAYS = int(env("TRELLIS_NEW_MEMBER_DAYS", "7"))
TRELLIS_NEW_MEMBER_POSTS = int(env("TRELLIS_NEW_MEMBER_POSTS", "3"))
TRELLIS_NEW_MEMBER_THREADS_PER_DAY = int(env("TRELLIS_NEW_MEMBER_THREADS_PER_DAY", "3"))
TRELLIS_NEW_MEMBER_REPLIES_PER_DAY = int(env("TRELLIS_NEW_MEMBER_REPLIES_PER_DAY", "10"))
TRELLIS_NEW_MEMBER_THREAD_INTERVAL_SECONDS = int(
    env("TRELLIS_NEW_MEMBER_THREAD_INTERVAL_SECONDS", "120")
)
TRELLIS_NEW_MEMBER_MAX_LINKS = int(env("TRELLIS_NEW_MEMBER_MAX_LINKS", "2"))
# Accounts not yet established (younger than TRELLIS_NEW_MEMBER_DAYS or with fewer than
# TRELLIS_NEW_MEMBER_POSTS posts) propose circles and start communities within these limits,
# and what they create is hidden from anonymous visitors until approved or established.
TRELLIS_NEW_ACCOUNT_CIRCLES_PER_DAY = int(env("TRELLIS_NEW_ACCOUNT_CIRCLES_PER_DAY", "2"))
TRELLIS_NEW_ACCOUNT_COMMUNITIES_PER_DAY = int(env("TRELLIS_NEW_ACCOUNT_COMMUNITIES_PER_DAY", "1"))
TRELLIS_HOLD_NEW_ACCOUNT_CREATIONS = env_bool("TRELLIS_HOLD_NEW_ACCOUNT_CREATIONS", True)
# Days a creation form's one-submission claim is kept (a daily job forgets older ones).
TRELLIS_FORM_SUBMISSION_DAYS = int(env("TRELLIS_FORM_SUBMISSION_DAYS", "7"))
# How much one open flag counts towards a community's hide threshold.
TRELLIS_FLAG_WEIGHT_MODERATOR = 3.0
TRELLIS_FLAG_WEIGHT_MEMBER = 1.0
TRELLIS_FLAG_WEIGHT_NEW_MEMBER = 0.5
# Health snapshots: communities per snapshot task, and overrides of the stage engine's
# thresholds (field names of communities.health.stages.Thresholds, e.g. {"young_days": 42}).
TRELLIS_HEALTH_BATCH_SIZE = int(env("TRELLIS_HEALTH_BATCH_SIZE", "100"))
# Communities per batch of the rising stars' roll-up (communities/discussions/tasks.py).
TRELLIS_ROLLUP_BATCH_SIZE = int(env("TRELLIS_ROLLUP_BATCH_SIZE", "100"))
TRELLIS_HEALTH_STAGE_THRESHOLDS: dict = {}

# Digests and escalation of unanswered questions (communities/digests, docs/digests.md).
TRELLIS_DIGESTS_SEND_HOUR = int(env("TRELLIS_DIGESTS_SEND_HOUR", "7"))  # member's local time
TRELLIS_DIGESTS_BATCH_SIZE = int(env("TRELLIS_DIGESTS_BATCH_SIZE", "100"))
TRELLIS_DIGESTS_SKIP_IF_VISITED = env_bool("TRELLIS_DIGESTS_SKIP_IF_VISITED", True)
# A claim older than this belongs to a worker that died (longer than the task time limit).
TRELLIS_DIGESTS_CLAIM_LEASE_SECONDS = int(env("TRELLIS_DIGESTS_CLAIM_LEASE_SECONDS", "600"))
# Only for the killed-worker test: a pause before each digest email.
TRELLIS_DIGESTS_SEND_DELAY_SECONDS = float(env("TRELLIS_DIGESTS_SEND_DELAY_SECONDS", "0"))
TRELLIS_DIGESTS_UNSUBSCRIBE_MAX_AGE_DAYS = 90
TRELLIS_ESCALATION_AFTER_HOURS = 4
TRELLIS_ESCALATION_RECIPIENTS = 3
# Soft bounces (4.x.x, delayed) that mark an address as bouncing, like one hard bounce.
TRELLIS_BOUNCE_SOFT_LIMIT = int(env("TRELLIS_BOUNCE_SOFT_LIMIT", "3"))

# Content-Security-Policy (django-csp 4): scripts only from the site itself, never inline.
# The Wagtail admin (/cms/) gets its own, looser policy in config.csp.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    }
}
TRELLIS_CMS_CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:"],
    "frame-src": ["'self'", "blob:"],
}

# Read from the cache first (every signed-in page reads the session), written through to the
# database so a restart or a cache flush signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Wagtail's live preview frames our own pages, so SAMEORIGIN rather than DENY.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "filters": {"quiet_refusals": {"()": "config.log_filters.QuietRefusals"}},
    "loggers": {"django.request": {"filters": ["quiet_refusals"]}},
}

# Invitations by handle or email a manager may send in an hour, and one address may receive
# in a day from all managers together (issue 15: no one is flooded).
TRELLIS_INVITATIONS_PER_MANAGER_PER_HOUR = int(
    env("TRELLIS_INVITATIONS_PER_MANAGER_PER_HOUR", "20")
)
TRELLIS_INVITATIONS_PER_ADDRESS_PER_DAY = int(env("TRELLIS_INVITATIONS_PER_ADDRESS_PER_DAY", "3"))
