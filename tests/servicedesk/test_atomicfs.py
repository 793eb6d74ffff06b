"""The embedded broker of `make run` (servicedesk/atomicfs.py): a consumer never reads a message
that is still being written, a bad message file is set aside and logged, and a consumer that is
killed loses none of the messages it had taken (issue 15)."""

import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from kombu import Connection
from kombu.transport.virtual.base import BrokerState

from servicedesk import atomicfs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_broker_state(monkeypatch):
    """kombu's filesystem transport keeps declared bindings for the whole process; each test here
    has a folder of its own, so each starts with none (else a binding made in an earlier test's
    folder would keep this one's exchange table from being written)."""
    monkeypatch.setattr(atomicfs.Transport, "global_state", BrokerState())


def options(folder):
    queue = folder / "queue"
    for name in ("queue", "processed", "control"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }


def connect(folder):
    return Connection("filesystem://", transport="servicedesk.atomicfs:Transport", transport_options=options(folder))


def publish_many(folder, publisher, count):
    with connect(Path(folder)) as conn:
        queue = conn.SimpleQueue("work")
        for n in range(count):
            queue.put({"publisher": publisher, "n": n, "pad": "x" * 4000})
        queue.close()
    return count


def test_a_message_is_never_visible_under_its_final_name_before_it_is_complete(tmp_path, monkeypatch):
    """kombu's transport opens the final file and then writes it: a consumer listing the folder
    in between took an empty file and the worker died. Ours makes the file appear only whole."""
    queue_folder = tmp_path / "queue"
    seen_while_writing = []
    real_dumps = atomicfs.dumps

    def watching_dumps(payload):
        if isinstance(payload, dict) and "body" in payload:  # a message, not an exchange table
            seen_while_writing.append(len([n for n in os.listdir(queue_folder) if n.endswith(".work.msg")]))
        return real_dumps(payload)

    monkeypatch.setattr(atomicfs, "dumps", watching_dumps)
    with connect(tmp_path) as conn:
        queue = conn.SimpleQueue("work")
        queue.put({"n": 1})
        queue.put({"n": 2})
        got = [queue.get(timeout=5), queue.get(timeout=5)]
        assert [m.payload["n"] for m in got] == [1, 2]
        for message in got:
            message.ack()
        queue.close()
    # While message k was being serialised, only the k-1 complete ones were there to be taken
    # (kombu's own transport shows [1, 2]: the file being written is already under its name).
    assert seen_while_writing == [0, 1]
    assert os.listdir(queue_folder) == []


def test_many_concurrent_publishers_and_a_consumer_see_only_whole_messages(tmp_path, caplog):
    publishers, each = 4, 150
    received = []
    with (
        caplog.at_level(logging.ERROR, logger="servicedesk.atomicfs"),
        # Spawned, not forked: a forked child inherits this test process's kombu connection pools
        # (an earlier test's Redis broker) and hangs closing them in kombu's after-fork hook.
        ProcessPoolExecutor(max_workers=publishers, mp_context=multiprocessing.get_context("spawn")) as pool,
        connect(tmp_path) as conn,
    ):
        futures = [pool.submit(publish_many, str(tmp_path), p, each) for p in range(publishers)]
        queue = conn.SimpleQueue("work")
        # Consume while the publishers write: the consumer lists the folder all the time.
        while len(received) < publishers * each:
            message = queue.get(timeout=60)
            received.append((message.payload["publisher"], message.payload["n"]))
            assert message.payload["pad"] == "x" * 4000
            message.ack()
        assert [f.result() for f in futures] == [each] * publishers
        queue.close()
    assert sorted(received) == [(p, n) for p in range(publishers) for n in range(each)]
    assert not (tmp_path / "unreadable").exists()
    assert "could not be read" not in caplog.text
    # Acked messages leave nothing behind in flight.
    assert list((tmp_path / "inflight").rglob("*.msg")) == []


def test_an_unreadable_message_is_logged_and_set_aside_and_the_next_one_is_consumed(tmp_path, caplog):
    queue_folder = tmp_path / "queue"
    with connect(tmp_path) as conn:
        queue = conn.SimpleQueue("work")
        # An empty file and a truncated one, older than the good message (they sort first).
        (queue_folder / "00000000000000000001_a.work.msg").write_bytes(b"")
        (queue_folder / "00000000000000000002_b.work.msg").write_bytes(b'{"body": "eyJ')
        (queue_folder / "00000000000000000003_c.work.msg").write_bytes(b'["not", "a", "message"]')
        queue.put({"n": "good"})
        with caplog.at_level(logging.ERROR, logger="servicedesk.atomicfs"):
            message = queue.get(timeout=5)
        assert message.payload == {"n": "good"}
        message.ack()
        queue.close()
    assert sorted(p.name for p in (tmp_path / "unreadable").iterdir()) == [
        "00000000000000000001_a.work.msg",
        "00000000000000000002_b.work.msg",
        "00000000000000000003_c.work.msg",
    ]
    assert caplog.text.count("could not be read") == 3
    assert "00000000000000000001_a.work.msg" in caplog.text


CLAIMER = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from tests.servicedesk.test_atomicfs import connect
conn = connect(Path({folder!r}))
queue = conn.SimpleQueue("work")
message = queue.get(timeout=30)
print("took", message.payload["n"], flush=True)
sys.stdin.read()  # hold the message, unacknowledged, until killed
"""


def test_messages_taken_by_a_consumer_that_is_killed_are_delivered_again(tmp_path):
    with connect(tmp_path) as conn:
        queue = conn.SimpleQueue("work")
        queue.put({"n": 1})
        queue.put({"n": 2})
        claimer = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(CLAIMER).format(root=str(ROOT), folder=str(tmp_path))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert claimer.stdout.readline().strip() == "took 1"
            claimer.send_signal(signal.SIGKILL)
            claimer.wait(timeout=30)
        finally:
            if claimer.poll() is None:
                claimer.kill()
        # A new consumer puts the dead one's message back and gets both, the oldest first.
        got = []
        for _ in range(2):
            message = queue.get(timeout=10)
            got.append(message.payload["n"])
            message.ack()
        queue.close()
    assert got == [1, 2]
    assert list((tmp_path / "inflight").rglob("*.msg")) == []


def test_a_rejected_message_with_requeue_comes_back_and_leaves_no_claim(tmp_path):
    with connect(tmp_path) as conn:
        queue = conn.SimpleQueue("work")
        queue.put({"n": 1})
        queue.get(timeout=5).requeue()
        message = queue.get(timeout=5)
        assert message.payload == {"n": 1}
        message.ack()
        queue.close()
    assert list((tmp_path / "inflight").rglob("*.msg")) == []


def test_an_exchange_table_caught_while_kombu_creates_it_reads_as_empty(tmp_path):
    with connect(tmp_path) as conn:
        channel = conn.default_channel
        (tmp_path / "control" / "fresh.exchange").write_bytes(b"")
        assert channel.get_table("fresh") == []


@pytest.mark.parametrize("name", ["00000000000000000001_x.work.msg"])
def test_the_temporary_name_is_not_one_the_consumer_takes(name):
    temporary = f".{name}{atomicfs.TEMP_SUFFIX}"
    assert temporary.partition(".")[2] != "work.msg"
