"""Settings come from the environment only. Each case imports the settings in a fresh
interpreter with a controlled environment, as a new process on a server would."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
    "conn_max_age": db.get("CONN_MAX_AGE"), "health": db.get("CONN_HEALTH_CHECKS"),
    "broker": settings.CELERY_BROKER_URL, "cache": settings.CACHES["default"]["BACKEND"],
    "debug": settings.DEBUG, "hosts": settings.ALLOWED_HOSTS, "email": settings.EMAIL_BACKEND,
    "media": str(settings.MEDIA_ROOT), "lang": settings.LANGUAGE_CODE, "tz": settings.TIME_ZONE,
    "use_tz": settings.USE_TZ, "languages": [c for c, _ in settings.LANGUAGES],
    "queue_dir": settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in", ""),
    "transport": getattr(settings, "CELERY_BROKER_TRANSPORT", None),
}))
"""
KEYS = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "MEDIA_ROOT",
    "VAR_DIR",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for the browser tests; a deployment never has it
)


def read_settings(module="servicedesk.settings", **environment):
    env = {k: v for k, v in os.environ.items() if k not in KEYS}
    env.update(environment, DJANGO_SETTINGS_MODULE=module)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result


def test_defaults_are_sqlite_under_var_and_the_filesystem_broker():
    found, _ = read_settings()
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"].endswith("var/db.sqlite3")
    assert found["broker"] == "filesystem://"
    # Our filesystem transport (atomic writes, a bad message set aside), not kombu's own (issue 15).
    assert found["transport"] == "servicedesk.atomicfs:Transport"
    assert found["queue_dir"].endswith("var/celery/queue")
    assert found["cache"].endswith("LocMemCache")
    assert found["debug"] is False
    assert found["lang"] == "zh-hans"
    assert found["tz"] == "Asia/Shanghai"
    assert found["use_tz"] is True
    assert found["languages"] == ["zh-hans", "en"]


def test_var_dir_moves_the_sqlite_file_the_broker_folders_and_the_uploads(tmp_path):
    found, _ = read_settings(VAR_DIR=str(tmp_path))
    assert found["name"] == str(tmp_path / "db.sqlite3")
    assert found["queue_dir"] == str(tmp_path / "celery" / "queue")
    assert found["media"] == str(tmp_path / "media")


def test_postgres_and_redis_from_the_environment():
    found, _ = read_settings(
        DATABASE_URL="postgres://desk:secret@db.example:5433/servicedesk",
        REDIS_URL="redis://cache.example:6379/2",
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert (found["name"], found["host"]) == ("servicedesk", "db.example")
    assert found["conn_max_age"] == 60
    assert found["health"] is True
    assert found["broker"] == "redis://cache.example:6379/2"
    assert found["transport"] is None
    assert found["cache"].endswith("RedisCache")


def test_debug_hosts_email_and_media_from_the_environment(tmp_path):
    found, _ = read_settings(
        DEBUG="true",
        ALLOWED_HOSTS="desk.example.com,10.0.0.5",
        EMAIL_URL="smtp://mailer:pw@smtp.example.com:587",
        MEDIA_ROOT=str(tmp_path),
    )
    assert found["debug"] is True
    assert found["hosts"] == ["desk.example.com", "10.0.0.5"]
    assert found["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert found["media"] == str(tmp_path)


def test_production_mode_refuses_the_development_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in KEYS}
    env["DJANGO_SETTINGS_MODULE"] = "servicedesk.settings.production"
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_reports_nothing_in_production_mode():
    env = {k: v for k, v in os.environ.items() if k not in KEYS}
    env.update(
        DJANGO_SETTINGS_MODULE="servicedesk.settings.production",
        SECRET_KEY="k3#r9!vQ2m@x7Lp$W4z^Tn8&bY1c*Hs5-Fd6+Gj0=Ue_Ai" + "Zq9Rw",
        ALLOWED_HOSTS="desk.example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
