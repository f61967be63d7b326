"""A team desk that cannot reach the server refuses a transfer it knows the server would refuse,
instead of queuing it to fail later."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentdesk.domain.models import BlankLine, Speaker, Utterance
from agentdesk.domain.transfers import HandoffPacket, Transfer
from agentdesk.store.remote import RemoteStore


def _closed_port() -> int:
    """A loopback port nothing listens on: every request to it fails to connect."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def offline_desk(tmp_path: Path) -> Iterator[RemoteStore]:
    desk = RemoteStore(
        f"http://127.0.0.1:{_closed_port()}", "token", outbox=tmp_path / "outbox.db", connect_timeout=0.5
    )
    yield desk
    desk.close()


def _transfer(*texts: str) -> Transfer:
    lines = [Utterance(speaker=Speaker.CUSTOMER, text=t) for t in texts]
    return Transfer(packet=HandoffPacket(customer_name="Li", transcript=lines))


def test_a_transfer_is_queued_while_the_server_is_away(offline_desk: RemoteStore) -> None:
    queued = offline_desk.create_transfer(_transfer("转人工", "我的号被冻结了"))
    assert [u.text for u in queued.packet.transcript] == ["转人工", "我的号被冻结了"]
    assert (offline_desk.connection.status, offline_desk.connection.pending) == ("offline", 1)


@pytest.mark.parametrize("blank", ["", "   ", "\u3000"])
def test_a_transfer_with_a_blank_packet_line_is_refused_at_once_and_never_queued(
    offline_desk: RemoteStore, blank: str
) -> None:
    offline_desk.create_transfer(_transfer("转人工"))  # the desk knows it is offline now
    with pytest.raises(BlankLine) as refused:
        offline_desk.create_transfer(_transfer("转人工", blank))
    assert refused.value.field == "packet.transcript.1.text"
    assert offline_desk.connection.pending == 1


def test_a_blank_packet_line_is_refused_before_anything_is_sent(offline_desk: RemoteStore) -> None:
    with pytest.raises(BlankLine):
        offline_desk.create_transfer(_transfer(" "))
    assert (offline_desk.connection.status, offline_desk.connection.pending) == ("online", 0)
