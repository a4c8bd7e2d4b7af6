"""A real SMTP server in the test process (aiosmtpd): mail goes over a socket through Django's SMTP
backend, and tests read what the server received - messages, headers and links."""

import email
import email.policy
import re
import socket
import threading
import time

from aiosmtpd.controller import Controller


class Received:
    def __init__(self, envelope):
        self.mail_from = envelope.mail_from
        self.rcpt_tos = list(envelope.rcpt_tos)
        self.message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)

    @property
    def to(self):
        return self.rcpt_tos[0]

    def header(self, name):
        value = self.message[name]
        return None if value is None else str(value).strip()

    @property
    def subject(self):
        return str(self.message["Subject"]).strip()

    def part(self, content_type):
        body = self.message.get_body(preferencelist=(content_type.split("/")[1],))
        return body.get_content() if body is not None and body.get_content_type() == content_type else ""

    @property
    def text(self):
        return self.part("text/plain")

    @property
    def html(self):
        return self.part("text/html")

    def links(self, contains=""):
        return [url for url in re.findall(r"https?://[^\s<>\"]+", self.text) if contains in url]

    def link(self, contains):
        found = self.links(contains)
        assert found, f"no link containing {contains!r} in:\n{self.text}"
        return found[0]


class _Handler:
    def __init__(self, server):
        self.server = server

    async def handle_RCPT(self, smtp_server, session, envelope, address, rcpt_options):
        hook = self.server.on_rcpt
        if hook is not None:
            answer = hook(address)
            if answer:
                return answer
        if address.lower() in self.server.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp_server, session, envelope):
        with self.server.lock:
            self.server.messages.append(Received(envelope))
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, hostname="127.0.0.1"):
        self.hostname = hostname
        self.port = _free_port(hostname)
        self.messages = []
        self.refuse = set()  # addresses answered with a permanent 550
        self.on_rcpt = None  # callable(address) -> an SMTP reply to refuse with, or None
        self.lock = threading.Lock()
        self.controller = Controller(_Handler(self), hostname=hostname, port=self.port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    @property
    def url(self):
        return f"smtp://{self.hostname}:{self.port}"

    def to(self, address):
        with self.lock:
            return [m for m in self.messages if address.lower() in (r.lower() for r in m.rcpt_tos)]

    def wait_for(self, count, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return self.messages
            time.sleep(0.05)
        raise AssertionError(f"expected {count} message(s), got {len(self.messages)}")

    def clear(self):
        with self.lock:
            self.messages.clear()


def _free_port(hostname):
    with socket.socket() as probe:
        probe.bind((hostname, 0))
        return probe.getsockname()[1]
