"""The deadline a send keeps by itself (notifications.deadline)."""

import signal
import threading
import time

import pytest

from notifications.deadline import SendTimeout, deadline


def test_a_block_past_its_deadline_is_interrupted():
    started = time.monotonic()
    with pytest.raises(SendTimeout), deadline(0.2):
        time.sleep(5)
    assert time.monotonic() - started < 2


def test_a_block_within_its_deadline_leaves_the_alarm_as_it_found_it():
    handler = signal.getsignal(signal.SIGALRM)
    before, _interval = signal.getitimer(signal.ITIMER_REAL)  # pytest-timeout's, if any
    with deadline(5):
        pass
    after, interval = signal.getitimer(signal.ITIMER_REAL)
    assert signal.getsignal(signal.SIGALRM) is handler
    assert interval == 0
    assert (after == 0) if before == 0 else (0 < after <= before)


def test_the_clean_up_of_a_block_past_its_deadline_is_cut_short_too():
    started = time.monotonic()
    with pytest.raises(SendTimeout), deadline(0.2):
        try:
            time.sleep(5)
        finally:
            time.sleep(5)  # a polite goodbye to a server that does not answer
    assert time.monotonic() - started < 2


def test_an_alarm_set_before_is_put_back_with_the_time_it_has_left():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        with deadline(5):
            time.sleep(0.1)
        left, _interval = signal.getitimer(signal.ITIMER_REAL)
        assert 25 < left < 30
        assert not fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_outside_the_main_thread_the_block_runs_unbounded():
    outcome = []

    def run():
        with deadline(0.05):
            time.sleep(0.2)
        outcome.append("finished")

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(5)
    assert outcome == ["finished"]
