"""docker-compose.yml runs the portal as the settings expect (read, not run: no engine here)."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker")
# Read by manage.py / wsgi.py rather than by the settings module.
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE"}
# A deployment that leaves these out silently runs on SQLite, eager tasks or a dev default.
REQUIRED = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "DEBUG", "MEDIA_ROOT"}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_variables() -> set[str]:
    """Every environment variable portal/settings.py reads."""
    source = (ROOT / "portal" / "settings.py").read_text()
    pattern = r'(?:os\.environ\.get|env_bool|env_int|env_list)\(\s*"([A-Z0-9_]+)"'
    return set(re.findall(pattern, source))


def command_text(service) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def test_all_four_services_are_defined_with_healthchecks(compose):
    services = compose["services"]
    assert set(services) >= {"postgres", "redis", "web", "worker"}
    for name in ("postgres", "redis", "web", "worker"):
        assert services[name]["healthcheck"]["test"], name


def test_web_collects_static_and_serves_through_gunicorn(compose):
    command = command_text(compose["services"]["web"])
    assert "collectstatic --noinput" in command
    assert "migrate --noinput" in command
    assert "gunicorn portal.wsgi" in command
    assert "/healthz" in " ".join(compose["services"]["web"]["healthcheck"]["test"])


def test_worker_runs_celery_on_the_portal_app(compose):
    command = command_text(compose["services"]["worker"])
    assert command.startswith("celery -A portal worker")


def test_app_services_wait_for_healthy_database_and_broker(compose):
    for name in APP_SERVICES:
        depends = compose["services"][name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"


def test_data_lives_in_named_volumes(compose):
    assert {"pgdata", "media"} <= set(compose["volumes"])
    services = compose["services"]
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    media_root = services["web"]["environment"]["MEDIA_ROOT"]
    for name in APP_SERVICES:
        assert f"media:{media_root}" in services[name]["volumes"]


def test_every_variable_compose_sets_is_read_by_the_settings(compose):
    known = settings_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= known  # the scan itself works
    for name in APP_SERVICES:
        env = set(compose["services"][name]["environment"])
        assert env - NOT_SETTINGS <= known, f"{name}: {sorted(env - NOT_SETTINGS - known)}"
        assert REQUIRED <= env, f"{name} misses {sorted(REQUIRED - env)}"


def test_production_services_run_without_debug_and_with_a_required_secret(compose):
    env = compose["services"]["web"]["environment"]
    assert env["DEBUG"] == "0"
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://redis:")


def test_exactly_one_beat_runs_the_sweeper_beside_the_workers(compose):
    beat = compose["services"]["beat"]
    assert command_text(beat).startswith("celery -A portal beat")
    assert beat["environment"]["REDIS_URL"].startswith("redis://redis:")
    assert beat.get("deploy", {}).get("replicas", 1) == 1
    depends = beat["depends_on"]
    assert depends["redis"]["condition"] == "service_healthy"


def test_the_run_script_starts_worker_and_beat_when_redis_is_configured():
    script = (ROOT / "scripts" / "run").read_text()
    assert 'if [ -n "${REDIS_URL:-}" ]' in script
    assert "celery -A portal worker -B" in script


def test_a_dead_workers_task_comes_back_within_twice_the_time_limit():
    from django.conf import settings

    limit = settings.CELERY_TASK_TIME_LIMIT
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert limit < visibility < 2 * limit
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    sweep = settings.CELERY_BEAT_SCHEDULE["sweep-stale-parse-runs"]["schedule"]
    stale = limit + settings.PORTAL_PARSE_STALE_MARGIN
    assert stale + sweep <= 2 * limit
