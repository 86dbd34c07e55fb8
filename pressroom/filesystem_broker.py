"""The embedded broker (CELERY_BROKER_URL unset or filesystem://): kombu's
filesystem transport, with each message file written whole before a worker
can see it.

kombu's own transport (5.7) creates a message's file under its final name,
then writes it; a worker polling the folder meanwhile moves the empty file
away and fails to decode it. That JSONDecodeError stops the worker's
consumer, and the worker takes no more tasks (tests/test_queue.py saw a
fan-out stop at its first message). Here a message is written under a name
the workers pass over, then renamed to its own in one step (os.replace is
atomic within a folder). pressroom/celery.py registers this transport under
kombu's name for it, "filesystem", for every process that loads the app.
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

# A file being written: its name does not end in ".<queue>.msg".
WRITING_SUFFIX = ".writing"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put `payload` onto `queue`: the name and content of kombu's own."""
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        path = os.path.join(self.data_folder_out, name)
        try:
            with open(path + WRITING_SUFFIX, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(path + WRITING_SUFFIX, path)
        except OSError as error:
            raise ChannelError(f"Cannot add file {path!r} to directory") from error


class Transport(filesystem.Transport):
    Channel = Channel
