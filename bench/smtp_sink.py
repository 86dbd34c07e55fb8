"""An SMTP sink for the alerts' benchmark: it accepts every message and
counts it, and does nothing else. It stands for the relay a production site
hands its mail to, which runs elsewhere; here it shares the two cores with
the site and the workers, so it must cost little. aiosmtpd, which the tests
use, parses every line of every message in Python and cost about 1 ms of
CPU a message (README, alerts' "Measured"); this one looks for the end of
the data in whole reads. It speaks what smtplib sends: EHLO/HELO, MAIL,
RCPT, DATA, RSET, NOOP, QUIT."""

import asyncio
import threading
import time

END_OF_DATA = b"\r\n.\r\n"


class Sink:
    """Counts the messages accepted, and when the first and last came."""

    def __init__(self):
        self.count = 0
        self.first = self.last = None
        self.lock = threading.Lock()

    def accepted(self):
        with self.lock:
            self.count += 1
            self.last = time.monotonic()
            self.first = self.first or self.last


class Session(asyncio.Protocol):
    def __init__(self, sink):
        self.sink = sink
        self.buffer = b""
        self.in_data = False

    def connection_made(self, transport):
        self.transport = transport
        transport.write(b"220 bench sink ESMTP\r\n")

    def data_received(self, data):
        self.buffer += data
        while True:
            if self.in_data:
                # The dot alone on a line ends the data; a line that began
                # with a dot was sent with a second one (RFC 5321, 4.5.2).
                end = self.buffer.find(END_OF_DATA)
                if end < 0:
                    # Keep the tail: the end may straddle two reads.
                    return
                self.buffer = self.buffer[end + len(END_OF_DATA) :]
                self.in_data = False
                self.sink.accepted()
                self.transport.write(b"250 Message accepted for delivery\r\n")
                continue
            line, found, rest = self.buffer.partition(b"\r\n")
            if not found:
                return
            self.buffer = rest
            self.command(line[:4].upper())

    def command(self, verb):
        if verb == b"EHLO":
            self.transport.write(b"250-bench sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
        elif verb == b"DATA":
            self.in_data = True
            # smtplib sends the data after "\r\n" has ended the command; the
            # end marker's "\r\n" is then found even in an empty message.
            self.buffer = b"\r\n" + self.buffer
            self.transport.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
        elif verb == b"QUIT":
            self.transport.write(b"221 Bye\r\n")
            self.transport.close()
        else:  # HELO, MAIL, RCPT, RSET, NOOP
            self.transport.write(b"250 OK\r\n")


class Controller:
    """The sink served from a thread of its own, on 127.0.0.1:`port`."""

    def __init__(self, sink, *, port):
        self.sink, self.port = sink, port
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self):
        self.thread.start()
        serving = asyncio.run_coroutine_threadsafe(
            self.loop.create_server(lambda: Session(self.sink), "127.0.0.1", self.port), self.loop
        )
        self.server = serving.result(timeout=10)

    def stop(self):
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
