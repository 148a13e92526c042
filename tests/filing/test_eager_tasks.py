"""Without a broker, tasks run in-process (the embedded default)."""

from filing.tasks import ping


def test_ping_runs_eagerly_in_the_test_settings(settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert ping.name == "reports.ping"
    assert ping.delay().get(timeout=1) == "pong"
