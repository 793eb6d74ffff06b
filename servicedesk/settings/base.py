from datetime import timedelta
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

# SQLite file, embedded broker's folders and uploads of `make run`; VAR_DIR moves them (bench/soak.py).
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
# A development-only key; production mode refuses to start without a real one.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-servicedesk-do-not-use-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "servicedesk.errors.csrf_failure"

INSTALLED_APPS = [
    "servicedesk.admin_config.DeskAdminConfig",  # django.contrib.admin, for the administrator role
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "servicedesk",
    "merchants",
    "complaints",
    "compensations",
    "returns",
    "exchanges",
    "followups",
    "reports",
    "frontdesk",
    "sms",
    "portal",
    "knowledge",
    "api",
    "merchantportal",
    "drivers",
    "demo",  # demo data and the chain generator, above every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # An oversized API body is refused from its Content-Length, before anything reads it.
    "api.middleware.ApiBodyLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "servicedesk.middleware.StripNulFromQueryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "servicedesk.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "servicedesk.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "servicedesk.middleware.CurrentMallMiddleware",
    # Merchant users stay in /merchant/ (every staff URL is a 404 for them), staff stay out of it.
    "merchantportal.middleware.MerchantPortalMiddleware",
    "servicedesk.replica.ReplicaReadsMiddleware",
    # A public page over its rate limit (django-ratelimit) answers 429 with RATELIMIT_VIEW.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Axes must come last so it sees the outcome of the authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "servicedesk.urls"
WSGI_APPLICATION = "servicedesk.wsgi.application"
ASGI_APPLICATION = "servicedesk.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "servicedesk.context_processors.desk",
            ],
            # Stored events are rendered in the reader's language on every page (servicedesk/texts.py);
            # money is written one way everywhere (servicedesk/amounts.py: |amount, |yuan).
            "builtins": ["servicedesk.templatetags.texts", "servicedesk.templatetags.amounts"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# Behind PgBouncer in transaction mode (docs/operations.md): no server-side cursors, which would
# outlive the transaction that PgBouncer hands the server connection back after, and a fresh
# client connection per request (PgBouncer keeps the server connections).
DATABASE_PGBOUNCER = env.bool("DATABASE_PGBOUNCER", default=False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DATABASE_PGBOUNCER else 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASE_PGBOUNCER
    # The desk's queries are short: PostgreSQL's JIT compiled one head-office query for 338 ms of
    # its 587 ms (issue 22). Off per connection; PgBouncer refuses the `options` startup parameter,
    # so behind it the database carries the setting (ALTER DATABASE ... SET jit = off,
    # docs/operations.md). DATABASE_JIT=true leaves PostgreSQL's own setting alone.
    if not env.bool("DATABASE_JIT", default=False) and not DATABASE_PGBOUNCER:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file under `make run`: WAL lets readers go on
    # while one writes, IMMEDIATE takes the write lock up front instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Read replica (servicedesk/replica.py) --------------------------------------------------
# A streaming hot standby of the primary for the heavy reads: reports, registers, exports.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASE_PGBOUNCER
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    if "options" in DATABASES["default"].get("OPTIONS", {}):
        DATABASES["replica"]["OPTIONS"]["options"] = DATABASES["default"]["OPTIONS"]["options"]
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests: the standby copies the test database
    DATABASE_ROUTERS = ["servicedesk.replica.ReplicaRouter"]
REPLICA_READ_YOUR_WRITES_SECONDS = env.int("REPLICA_READ_YOUR_WRITES_SECONDS", default=10)
REPLICA_MAX_LAG_SECONDS = env.int("REPLICA_MAX_LAG_SECONDS", default=30)
REPLICA_CHECK_SECONDS = env.int("REPLICA_CHECK_SECONDS", default=5)
REPLICA_RETRY_SECONDS = env.int("REPLICA_RETRY_SECONDS", default=30)

# --- Redis, cache, Celery -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_QUEUE_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    # Zero-setup default: a filesystem broker that needs no server. kombu's own transport can
    # hand a consumer a message file that is still being written (issue 15), so ours
    # (servicedesk/atomicfs.py) writes under a temporary name and renames, keeps claimed messages
    # until they are acked, and sets aside an unreadable one. All four folders are set so that
    # control messages (ping, used by /status/) do not land in the CWD.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT = "servicedesk.atomicfs:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
        "store_processed": False,
        # kombu waits a whole second whenever the worker has its fill of tasks in hand (prefetch),
        # which caps it at about two tasks a second; a folder listing every 0.1 s is cheap.
        "polling_interval": 0.1,
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Two queues: "celery" for the quick jobs (reminders, notifications, SLA scans, heartbeat) and
# "heavy" for imports, exports, report builds and the daily scheduling, so a long job never
# holds up a reminder. A worker started without -Q consumes both (`make run`); production runs
# them on separate workers (docs/operations.md).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = {"celery": {}, "heavy": {}}
CELERY_TASK_ROUTES = {
    name: {"queue": "heavy"}
    for name in (
        "followups.import_sales",
        "followups.resume_queued_imports",
        "followups.schedule_callbacks",
        "reports.build_export",
        "reports.weekly_reports",
    )
}

# --- Authentication -------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "servicedesk.admin_access.AdministratorBackend",
    # Reads the signed-in user of a session ModelBackend signed in (servicedesk.session_users, #22).
    "servicedesk.session_users.SessionUserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Two-factor sign-in (servicedesk/two_factor.py) for manager, head office and administrators:
# off by default (development, demo, tests), on in servicedesk.settings.production.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="客服中心 servicedesk")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Five wrong passwords for one user from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Reverse proxies in front (1 behind the documented nginx): the client's address is read from
# the X-Forwarded-For entries they add (servicedesk/clientip.py), never from what a client wrote.
PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "servicedesk.clientip.client_ip"
AXES_USERNAME_CALLABLE = "servicedesk.clientip.login_username"
AXES_VERBOSE = False

# Django's database sessions, the row read by a statement compiled once (servicedesk/sessions.py).
SESSION_ENGINE = "servicedesk.sessions"
SESSION_COOKIE_AGE = 60 * 60 * 10  # one shift
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# A strict Content-Security-Policy on every response: scripts and styles only from our own
# static files, no inline <script>, no style="" attributes, no plug-ins, no framing, forms post
# only to the desk. `data:` images are Bootstrap's form icons and the 2FA QR code. A served
# upload carries its own, stricter policy (servicedesk.uploads.serve_upload).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from the xstatic package, so no third-party file is committed.
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Uploads larger than this are refused by the forms that take them; see servicedesk.uploads.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Email ----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="servicedesk@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- SMS to customers (sms/backends.py) ---------------------------------------------------------
# console:// (default) logs the masked texts and keeps them in the outbox; tencent://... sends
# through Tencent Cloud SMS. See README.
SMS_URL = env.str("SMS_URL", default="console://")
# Public pages (portal/): per client address, counted in the cache (Redis when REDIS_URL is set).
RATELIMIT_VIEW = "portal.views.rate_limited"
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=True)

# --- Forms -----------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Django's widget templates, with <input> and <select> written in Python (same HTML, a fraction of
# the time: a few hundred <option>s cost more than a register's SQL; servicedesk/form_renderer.py).
FORM_RENDERER = "servicedesk.form_renderer.QuickWidgetRenderer"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Sales import: the largest upload through the browser (the documented nginx takes 12 MB), and
# how long a running import may be silent before the sweep resumes it from its checkpoint.
SALES_IMPORT_MAX_BYTES = env.int("SALES_IMPORT_MAX_MB", default=10) * 1024 * 1024
SALES_IMPORT_STALE_SECONDS = env.int("SALES_IMPORT_STALE_SECONDS", default=180)
# On PostgreSQL the checked rows are saved by COPY and two set-based statements
# (followups/services/sales_copy.py); false: the batched INSERTs every database has (SQLite's path).
SALES_IMPORT_COPY = env.bool("SALES_IMPORT_COPY", default=True)

# How stale a heartbeat may be before /status/ calls the worker or beat down.
HEARTBEAT_STALE_AFTER = timedelta(seconds=env.int("HEARTBEAT_STALE_SECONDS", default=180))
# A report export still "running" this long after its claim lost its worker (killed mid-build):
# the 5-minute sweep queues it again, and marks it failed after REPORT_EXPORT_MAX_ATTEMPTS claims.
REPORT_EXPORT_TIMEOUT = timedelta(minutes=env.int("REPORT_EXPORT_TIMEOUT_MINUTES", default=30))
REPORT_EXPORT_MAX_ATTEMPTS = env.int("REPORT_EXPORT_MAX_ATTEMPTS", default=3)
# The head-office home's figures of closed weeks (last week's ranking, the 12-week trend) are
# kept this long in the cache (reports.dashboard.chain_figures); 0 computes them on every visit.
CHAIN_DASHBOARD_CACHE_SECONDS = env.int("CHAIN_DASHBOARD_CACHE_SECONDS", default=600)

# --- Integration API (/api/v1/, docs/api.md) --------------------------------------------------
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_MB", default=8) * 1024 * 1024
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.ClientTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.ClientRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "servicedesk API",
    "DESCRIPTION": "The integration API of the customer service desk: sales push, 12315/12345 referrals, "
    "reads and change feeds, webhooks. Guide: docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# Webhooks: a failed delivery is tried again after 30 s, 60 s, 120 s ... (at most 6 hours
# apart) and given up after WEBHOOK_MAX_ATTEMPTS tries; the administrator can replay it.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_BACKOFF_SECONDS = env.int("WEBHOOK_BACKOFF_SECONDS", default=30)
WEBHOOK_BACKOFF_MAX_SECONDS = env.int("WEBHOOK_BACKOFF_MAX_SECONDS", default=6 * 3600)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Customer link tokens never reach a log line (servicedesk/logmask.py).
    "filters": {"mask_customer_links": {"()": "servicedesk.logmask.MaskCustomerLinks"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_customer_links"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - published demo password, refused when DEBUG is off

# The address staff reach the desk at; used for links in e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
