"""The embedded broker (pressroom/filesystem_broker.py): a worker polling
the folder while messages are written reads each one whole, never a file
begun and not yet written (kombu's own transport fails so: the worker's
consumer stops on a JSONDecodeError, and no more tasks are taken)."""

import multiprocessing

import pytest
from kombu import Connection
from kombu.transport import filesystem as kombu_filesystem

from pressroom import filesystem_broker
from pressroom.celery import app

MESSAGES = 400
PAYLOAD = {"body": "x" * 200_000}  # long enough to be written in more than an instant


def write(transport, options):
    with Connection(transport=transport, transport_options=options) as writer:
        for n in range(MESSAGES):
            writer.default_channel._put("race", {**PAYLOAD, "n": n})


def race(transport, folder):
    """Write MESSAGES messages in another process while this one takes them
    as fast as it can: the numbers of the messages read, or the error
    reading one raised."""
    options = {"data_folder_in": str(folder), "data_folder_out": str(folder), "control_folder": str(folder)}
    writer = multiprocessing.get_context("fork").Process(target=write, args=(transport, options))
    writer.start()
    read = []
    try:
        with Connection(transport=transport, transport_options=options) as reader:
            while len(read) < MESSAGES:
                try:
                    read.append(reader.default_channel._get("race")["n"])
                except kombu_filesystem.Empty:
                    if writer.exitcode is not None and not any(folder.glob("*.msg")):
                        break
    finally:
        writer.join(timeout=60)
    return read


def test_a_reader_polling_while_messages_are_written_reads_each_whole(tmp_path):
    assert sorted(race(filesystem_broker.Transport, tmp_path)) == list(range(MESSAGES))
    assert not list(tmp_path.iterdir())  # every file taken, none left half-named


def test_the_app_s_filesystem_broker_is_this_one():
    with app.connection_for_write() as connection:
        if connection.transport_cls != "filesystem":
            pytest.skip(f"the broker is {connection.transport_cls}")
        assert isinstance(connection.transport, filesystem_broker.Transport)
