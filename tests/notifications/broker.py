"""Point this process's Celery app at another broker for the length of a test."""

from contextlib import contextmanager

from celery import current_app


def _drop_connection_pools(app) -> None:
    # Not closed: kombu keeps one pool per broker URL and hands the same one back later.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker(url: str):
    """Tasks are published to `url` (not run in-process) inside the block."""
    app = current_app
    conf = app.conf
    saved = conf.broker_url, conf.task_always_eager
    _drop_connection_pools(app)
    conf.broker_url, conf.task_always_eager = url, False
    try:
        yield app
    finally:
        _drop_connection_pools(app)
        conf.broker_url, conf.task_always_eager = saved
