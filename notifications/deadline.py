"""A time bound on one send, kept by the process that sends.

Celery's hard time limit is kept by the worker's main process, on its event loop. While
that process waits for a lost Redis, it keeps no limit at all; when Redis is back, the
limits of sends that finished during the outage go off late and kill pool processes
that were idle (the log says "Hard time limit exceeded" for a message already sent),
and the worker was seen to stop consuming after that. A timer in the sending process
itself does not depend on the broker.
"""

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class SendTimeout(TimeoutError):
    """A send ran past its deadline. An OSError, like a socket timeout: worth a retry."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise SendTimeout in this process if the block runs longer than `seconds`.

    Only in a process's main thread (a Celery pool process, a management command, a
    test): a signal cannot interrupt any other thread, so elsewhere (the development
    server's threads) the block runs unbounded, as every web request does. An alarm set
    by someone else (pytest-timeout) is put back with the time it has left.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum, _frame):
        raise SendTimeout(f"Sending took longer than {seconds:g} s.")

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, expire)
    # Then again every half second: the mail backend's clean-up (a polite QUIT to the
    # server that hangs) would otherwise wait out the socket's own timeout.
    previous_delay, _interval = signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:
            left = previous_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))
