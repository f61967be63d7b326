"""The Store contract: every backend must pass every test here."""

from __future__ import annotations

from datetime import timedelta

import pytest

from agentdesk.domain.models import (
    Agent,
    AgentStatus,
    BlankLine,
    BotFeedback,
    Call,
    CallStatus,
    Contact,
    Customer,
    FeedbackReason,
    FeedbackStatus,
    KBArticle,
    Speaker,
    Survey,
    SurveyStatus,
    Ticket,
    TicketPriority,
    TicketStatus,
    TicketType,
    Tier,
    Utterance,
    utcnow,
)
from agentdesk.domain.tickets import IllegalTransition, IncompleteTicket
from agentdesk.domain.transfers import HandoffPacket, RoutingRationale, Transfer, TransferStatus
from agentdesk.store.base import (
    AlreadyClaimed,
    AlreadyExists,
    Conflict,
    NotFound,
    Store,
    TicketQuery,
    TransferQuery,
)


def _transfer(rank: float = 0.0, customer: str | None = None, call_id: str | None = None) -> Transfer:
    return Transfer(
        packet=HandoffPacket(customer_id=customer, customer_name="Li"), queue_rank=rank, call_id=call_id
    )


@pytest.fixture
def agents(store: Store) -> list[Agent]:
    return [store.upsert_agent(Agent(id=f"A{i}", name=f"Agent {i}", capacity=2)) for i in range(1, 4)]


# -- customers and agents -----------------------------------------------------------
def test_customer_round_trips_with_contacts(store: Store) -> None:
    c = Customer(id="C1", name="李娜", tier=Tier.VIP, contacts=[Contact(kind="phone", value="13812345678")])
    store.upsert_customer(c)
    got = store.get_customer("C1")
    assert got == c
    assert got.phone == "13812345678"


@pytest.mark.parametrize("term", ["李", "5678", "c2"])
def test_customers_are_found_by_name_phone_or_id(store: Store, term: str) -> None:
    store.upsert_customer(
        Customer(id="C2", name="李娜", contacts=[Contact(kind="phone", value="13812345678")])
    )
    store.upsert_customer(Customer(id="C3", name="Tom"))
    assert [c.id for c in store.list_customers(search=term)] == ["C2"]


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("13812345678", ["C2"]),
        ("138 1234 5678", ["C2"]),
        ("138-1234-5678", ["C2"]),
        ("1381234567", []),
        ("12345678", []),
        ("5678", []),
        ("138", []),
        ("李", ["C2"]),
        ("c2", ["C2"]),
        ("acc-77", ["C2"]),
        ("tom@", ["C3"]),
    ],
)
def test_with_exact_phone_a_phone_number_matches_only_as_the_whole_number(
    store: Store, term: str, found: list[str]
) -> None:
    store.upsert_customer(
        Customer(
            id="C2",
            name="李娜",
            account_no="ACC-7788",
            contacts=[Contact(kind="phone", value="138 1234 5678")],
        )
    )
    store.upsert_customer(
        Customer(id="C3", name="Tom", contacts=[Contact(kind="email", value="tom@example.com")])
    )
    assert [c.id for c in store.list_customers(search=term, exact_phone=True)] == found


def test_missing_records_raise_not_found(store: Store) -> None:
    for getter in (
        store.get_customer,
        store.get_agent,
        store.get_call,
        store.get_transfer,
        store.get_ticket,
        store.get_article,
        store.get_survey,
        store.get_feedback,
    ):
        with pytest.raises(NotFound):
            getter("nope")


def test_agent_load_counts_claimed_transfers(store: Store, agents: list[Agent]) -> None:
    t = store.create_transfer(_transfer())
    store.claim_transfer(t.id, "A1")
    assert store.get_agent("A1").active_calls == 1
    assert {a.id: a.active_calls for a in store.list_agents()} == {"A1": 1, "A2": 0, "A3": 0}


def test_agent_status_switch_is_saved(store: Store, agents: list[Agent]) -> None:
    store.set_agent_status("A2", AgentStatus.AWAY)
    assert store.get_agent("A2").status == AgentStatus.AWAY


# -- calls and utterances -------------------------------------------------------------
def test_utterances_get_sequence_numbers_and_partials_are_replaced_in_place(store: Store) -> None:
    call = store.upsert_call(Call(customer_id="C1"))
    first = store.append_utterance(call.id, Utterance(speaker=Speaker.BOT, text="您好"))
    partial = store.append_utterance(call.id, Utterance(speaker=Speaker.CUSTOMER, text="我想", final=False))
    final = store.append_utterance(call.id, partial.model_copy(update={"text": "我想查账单", "final": True}))
    assert (first.seq, partial.seq, final.seq) == (1, 2, 2)
    lines = store.list_utterances(call.id)
    assert [(u.text, u.final) for u in lines] == [("您好", True), ("我想查账单", True)]
    assert [u.text for u in store.list_utterances(call.id, since_seq=1)] == ["我想查账单"]


def test_the_same_line_id_in_another_call_is_another_line_and_deletes_nothing(store: Store) -> None:
    store.upsert_call(Call(id="CALL-A"))
    store.upsert_call(Call(id="CALL-B"))
    store.append_utterance("CALL-A", Utterance(id="U-7", speaker=Speaker.CUSTOMER, text="A seven"))
    store.append_utterance("CALL-A", Utterance(id="U-8", speaker=Speaker.BOT, text="A eight"))
    store.append_utterance("CALL-B", Utterance(id="U-1", speaker=Speaker.BOT, text="B one"))
    partial = store.append_utterance(
        "CALL-B", Utterance(id="U-7", speaker=Speaker.CUSTOMER, text="B sev", final=False)
    )
    final = store.append_utterance("CALL-B", partial.model_copy(update={"text": "B seven", "final": True}))
    assert (partial.seq, final.seq, final.call_id) == (2, 2, "CALL-B")
    assert [(u.id, u.seq, u.text) for u in store.list_utterances("CALL-A")] == [
        ("U-7", 1, "A seven"),
        ("U-8", 2, "A eight"),
    ]
    assert [(u.id, u.seq, u.text, u.final) for u in store.list_utterances("CALL-B")] == [
        ("U-1", 1, "B one", True),
        ("U-7", 2, "B seven", True),
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\u3000"])
def test_a_line_with_no_text_is_refused_and_nothing_is_written(store: Store, text: str) -> None:
    call = store.upsert_call(Call())
    partial = store.append_utterance(call.id, Utterance(speaker=Speaker.CUSTOMER, text="我想", final=False))
    seq = store.last_seq()
    for line in (Utterance(speaker=Speaker.BOT, text=text), partial.model_copy(update={"text": text})):
        with pytest.raises(BlankLine):
            store.append_utterance(call.id, line)
    assert [(u.text, u.final) for u in store.list_utterances(call.id)] == [("我想", False)]
    assert store.last_seq() == seq


def test_a_partial_line_that_came_to_nothing_is_taken_back(store: Store) -> None:
    call = store.upsert_call(Call())
    store.append_utterance(call.id, Utterance(id="U-1", speaker=Speaker.BOT, text="您好"))
    store.append_utterance(call.id, Utterance(id="U-2", speaker=Speaker.CUSTOMER, text="嗯", final=False))
    seq = store.last_seq()
    taken = store.retract_utterance(call.id, "U-2", actor="voicebot")
    assert (taken.id, taken.seq, taken.text) == ("U-2", 2, "嗯")
    assert [u.id for u in store.list_utterances(call.id)] == ["U-1"]
    [event] = store.events_since(seq)
    assert (event.kind, event.entity_id, event.actor) == ("utterance.retracted", call.id, "voicebot")
    assert (event.data["id"], event.data["seq"]) == ("U-2", 2)


def test_a_taken_back_lines_place_is_never_given_to_the_next_line(store: Store) -> None:
    call = store.upsert_call(Call())
    store.append_utterance(call.id, Utterance(id="U-1", speaker=Speaker.BOT, text="您好"))
    store.append_utterance(call.id, Utterance(id="U-2", speaker=Speaker.CUSTOMER, text="嗯", final=False))
    store.retract_utterance(call.id, "U-2")
    after = store.append_utterance(call.id, Utterance(id="U-3", speaker=Speaker.CUSTOMER, text="查话费"))
    assert after.seq == 3  # a desk that saw seq 2 follows the call with since_seq=2
    assert [u.id for u in store.list_utterances(call.id, since_seq=2)] == ["U-3"]


def test_a_final_line_cannot_be_taken_back(store: Store) -> None:
    call = store.upsert_call(Call())
    store.append_utterance(call.id, Utterance(id="U-1", speaker=Speaker.CUSTOMER, text="我要转人工"))
    seq = store.last_seq()
    with pytest.raises(Conflict):
        store.retract_utterance(call.id, "U-1")
    assert [u.text for u in store.list_utterances(call.id)] == ["我要转人工"]
    assert store.last_seq() == seq


def test_taking_back_a_line_that_is_not_in_the_call_is_not_found(store: Store) -> None:
    store.upsert_call(Call(id="CALL-A"))
    store.upsert_call(Call(id="CALL-B"))
    store.append_utterance("CALL-A", Utterance(id="U-1", speaker=Speaker.CUSTOMER, text="a", final=False))
    for call_id, line_id in (("CALL-B", "U-1"), ("CALL-A", "U-9"), ("NOPE", "U-1")):
        with pytest.raises(NotFound):
            store.retract_utterance(call_id, line_id)
    assert [u.id for u in store.list_utterances("CALL-A")] == ["U-1"]


def test_utterance_for_unknown_call_is_refused(store: Store) -> None:
    with pytest.raises(NotFound):
        store.append_utterance("CALL-X", Utterance(speaker=Speaker.BOT, text="hi"))


def test_the_transcript_of_a_call_that_does_not_exist_is_not_found(store: Store) -> None:
    store.upsert_call(Call(id="CALL-QUIET"))
    assert store.list_utterances("CALL-QUIET") == []  # a call with nothing said yet
    with pytest.raises(NotFound):
        store.list_utterances("NOPE")


def test_calls_list_by_customer_newest_first(store: Store) -> None:
    old = store.upsert_call(Call(customer_id="C1", started_at=utcnow() - timedelta(days=2)))
    new = store.upsert_call(Call(customer_id="C1"))
    store.upsert_call(Call(customer_id="C2"))
    assert [c.id for c in store.list_calls(customer_id="C1")] == [new.id, old.id]


# -- transfers ---------------------------------------------------------------------
def test_transfers_are_listed_by_queue_rank(store: Store) -> None:
    low, high, mid = (store.create_transfer(_transfer(r)) for r in (1.0, 9.0, 5.0))
    assert [t.id for t in store.list_transfers()] == [high.id, mid.id, low.id]
    assert [t.id for t in store.list_transfers(TransferQuery(limit=1, offset=1))] == [mid.id]
    assert store.count_transfers() == 3


def test_transfer_keeps_its_handoff_packet(store: Store) -> None:
    t = _transfer()
    t.packet.details = {"order_id": "LC20261101-8812"}
    store.create_transfer(t)
    assert store.get_transfer(t.id).packet == t.packet


def test_duplicate_transfer_id_is_refused(store: Store) -> None:
    t = store.create_transfer(_transfer())
    with pytest.raises(AlreadyExists):
        store.create_transfer(t)


def test_second_claim_loses(store: Store, agents: list[Agent]) -> None:
    t = store.create_transfer(_transfer())
    won = store.claim_transfer(t.id, "A1", rationale=RoutingRationale(agent_id="A1"))
    assert (won.status, won.claimed_by) == (TransferStatus.CLAIMED, "A1")
    with pytest.raises(AlreadyClaimed, match="A1"):
        store.claim_transfer(t.id, "A2")
    assert store.get_transfer(t.id).claimed_by == "A1"


def test_claim_by_unknown_agent_is_refused(store: Store) -> None:
    t = store.create_transfer(_transfer())
    with pytest.raises(NotFound):
        store.claim_transfer(t.id, "ghost")
    assert store.get_transfer(t.id).status == TransferStatus.WAITING


def test_claim_moves_the_call_to_the_agent(store: Store, agents: list[Agent]) -> None:
    call = store.upsert_call(Call(customer_id="C1"))
    t = store.create_transfer(_transfer(call_id=call.id))
    assert store.get_call(call.id).status == CallStatus.QUEUED
    store.claim_transfer(t.id, "A2")
    assert (store.get_call(call.id).status, store.get_call(call.id).agent_id) == (CallStatus.AGENT, "A2")


def test_declined_transfer_returns_to_queue_remembering_who_declined(
    store: Store, agents: list[Agent]
) -> None:
    t = store.create_transfer(_transfer())
    store.offer_transfer(t.id, "A1", RoutingRationale(agent_id="A1"))
    back = store.decline_transfer(t.id, "A1")
    assert (back.status, back.offered_to, back.declined_by) == (TransferStatus.WAITING, None, ["A1"])
    with pytest.raises(Conflict):
        store.decline_transfer(t.id, "A2")


def test_only_a_claimed_transfer_completes(store: Store, agents: list[Agent]) -> None:
    t = store.create_transfer(_transfer())
    with pytest.raises(Conflict):
        store.finish_transfer(t.id, TransferStatus.COMPLETED)
    store.claim_transfer(t.id, "A1")
    done = store.finish_transfer(t.id, TransferStatus.COMPLETED, ticket_id="TK-1")
    assert (done.status, done.ticket_id) == (TransferStatus.COMPLETED, "TK-1")
    assert store.get_agent("A1").active_calls == 0
    with pytest.raises(AlreadyClaimed):
        store.claim_transfer(t.id, "A2")


def test_waiting_transfer_can_be_abandoned(store: Store) -> None:
    t = store.create_transfer(_transfer())
    assert store.finish_transfer(t.id, TransferStatus.ABANDONED).status == TransferStatus.ABANDONED
    assert store.count_transfers() == 0


# -- tickets ---------------------------------------------------------------------------
def test_new_ticket_gets_an_sla_due_time(store: Store) -> None:
    t = store.create_ticket(Ticket(subject="x", type=TicketType.COMPLAINT, priority=TicketPriority.HIGH))
    assert t.sla_due is not None and t.sla_due == t.created_at + timedelta(hours=12)
    assert store.get_ticket(t.id) == t


def test_ticket_update_moves_status_and_appends_history(store: Store, agents: list[Agent]) -> None:
    t = store.create_ticket(Ticket(subject="roaming charge"))
    t = store.update_ticket(t.id, assignee_id="A1", actor="A1")
    t = store.update_ticket(t.id, status=TicketStatus.IN_PROGRESS, note="called the customer", actor="A1")
    t = store.update_ticket(t.id, status=TicketStatus.RESOLVED, disposition="refunded", actor="A1")
    assert (t.status, t.assignee_id, t.disposition) == (TicketStatus.RESOLVED, "A1", "refunded")
    assert [n.kind for n in t.notes] == ["status", "status", "note", "status"]
    assert all(n.author == "A1" for n in t.notes)
    assert store.get_ticket(t.id) == t


def test_illegal_ticket_transition_writes_nothing(store: Store) -> None:
    t = store.create_ticket(Ticket(subject="x"))
    with pytest.raises(IllegalTransition):
        store.update_ticket(t.id, status=TicketStatus.WAITING_CUSTOMER, note="lost?")
    assert store.get_ticket(t.id) == t


def test_assigned_status_needs_an_assignee_and_nothing_is_written_without_one(
    store: Store, agents: list[Agent]
) -> None:
    t = store.create_ticket(Ticket(subject="x"))
    with pytest.raises(IncompleteTicket) as refused:
        store.update_ticket(t.id, status=TicketStatus.ASSIGNED, note="taking it", actor="A1")
    assert (refused.value.missing, refused.value.status) == ("assignee_id", TicketStatus.ASSIGNED)
    assert store.get_ticket(t.id) == t
    done = store.update_ticket(t.id, status=TicketStatus.ASSIGNED, assignee_id="A1", actor="A1")
    assert (done.status, done.assignee_id) == (TicketStatus.ASSIGNED, "A1")


@pytest.mark.parametrize("target", [TicketStatus.RESOLVED, TicketStatus.CLOSED])
def test_resolving_or_closing_needs_a_wrap_up_code(store: Store, target: TicketStatus) -> None:
    t = store.create_ticket(Ticket(subject="x"))
    with pytest.raises(IncompleteTicket) as refused:
        store.update_ticket(t.id, status=target, note="done", actor="A1")
    assert refused.value.missing == "disposition"
    assert store.get_ticket(t.id) == t
    done = store.update_ticket(t.id, status=target, disposition="no_action_needed", actor="A1")
    assert (done.status, done.disposition) == (target, "no_action_needed")


def test_a_note_on_an_old_ticket_missing_its_wrap_up_code_is_still_taken(store: Store) -> None:
    old = store.create_ticket(Ticket(subject="imported", status=TicketStatus.RESOLVED))
    assert store.update_ticket(old.id, note="customer called back", actor="A1").notes[-1].text == (
        "customer called back"
    )


def test_ticket_notes_are_append_only(store: Store) -> None:
    t = store.create_ticket(Ticket(subject="x"))
    store.update_ticket(t.id, note="first")
    t2 = store.update_ticket(t.id, note="second")
    assert [n.text for n in t2.notes] == ["first", "second"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("退款", {"zh"}),
        ("流量", {"zh2"}),
        ("refund", {"en"}),
        ("refunds", {"en"}),
        ("roaming charges", {"en2"}),
        ("退款 快递", set()),
        ("TK-ZH2", {"zh2"}),
    ],
)
def test_ticket_search_works_in_chinese_and_english(store: Store, query: str, expected: set[str]) -> None:
    for tid, subject in (
        ("zh", "申请退款，订单未发货"),
        ("zh2", "流量结转咨询"),
        ("en", "Refund for a cancelled order"),
        ("en2", "Unexpected roaming charge on bill"),
    ):
        store.create_ticket(Ticket(id=f"TK-{tid.upper()}", subject=subject))
    found = {t.id.removeprefix("TK-").lower() for t in store.list_tickets(TicketQuery(text=query))}
    assert found == expected
    assert store.count_tickets(TicketQuery(text=query)) == len(expected)


@pytest.mark.parametrize("text", ["?!", "😡", "*"])
def test_text_with_no_word_in_it_filters_nothing_on_every_backend(store: Store, text: str) -> None:
    for n in range(3):
        store.create_ticket(Ticket(id=f"TK-{n}", subject="退款" if n else "refund"))
    assert len(store.list_tickets(TicketQuery(text=text))) == 3
    assert store.count_tickets(TicketQuery(text=text)) == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("refu", {"en"}),
        ("Refund for a canc", {"en"}),
        ("roamin", {"en2", "h016"}),
        ("TK-H01", {"h016", "h017"}),
        ("TK-H016", {"h016"}),
        ("退", {"zh"}),
        ("退款 订", {"zh"}),
    ],
)
def test_the_last_word_typed_matches_as_a_prefix_and_ids_by_their_start(
    store: Store, query: str, expected: set[str]
) -> None:
    for tid, subject in (
        ("zh", "申请退款，订单未发货"),
        ("en", "Refund for a cancelled order"),
        ("en2", "Unexpected roaming charge on bill"),
        ("h016", "Roaming dispute"),
        ("h017", "Order delayed"),
        ("h160", "Order lost"),
    ):
        store.create_ticket(Ticket(id=f"TK-{tid.upper()}", subject=subject))
    found = {t.id.removeprefix("TK-").lower() for t in store.list_tickets(TicketQuery(text=query))}
    assert found == expected
    assert store.count_tickets(TicketQuery(text=query)) == len(expected)


def test_a_typed_prefix_never_matches_digits_the_reader_sees_masked(store: Store) -> None:
    t = store.create_ticket(Ticket(id="TK-N", subject="回电"))
    store.update_ticket(t.id, note="客户手机 13812345678")
    for text, masked, expected in (("1381", True, []), ("1381", False, ["TK-N"]), ("138", True, ["TK-N"])):
        query = TicketQuery(text=text, search_masked=masked)
        assert [x.id for x in store.list_tickets(query)] == expected, (text, masked)
        assert store.count_tickets(query) == len(expected)


def test_ticket_search_finds_words_in_notes(store: Store) -> None:
    t = store.create_ticket(Ticket(subject="账单问题"))
    store.update_ticket(t.id, note="客户要求补偿话费")
    assert [x.id for x in store.list_tickets(TicketQuery(text="补偿"))] == [t.id]


def test_a_masked_ticket_search_never_matches_digits_the_reader_sees_masked(store: Store) -> None:
    t = store.create_ticket(Ticket(id="TK-N", subject="回电 订单 LC20261101-8812"))
    store.update_ticket(t.id, note="客户手机 13812345678")

    def found(text: str, *, masked: bool = True) -> list[str]:
        query = TicketQuery(text=text, search_masked=masked)
        ids = [x.id for x in store.list_tickets(query)]
        assert store.count_tickets(query) == len(ids)
        return ids

    assert found("13812345678") == []
    assert found("13812345678", masked=False) == ["TK-N"]
    assert found("LC20261101") == ["TK-N"]  # order numbers are not masked: agents read them out
    assert found("回电 8812") == ["TK-N"]
    assert found("客户手机") == ["TK-N"]


def test_ticket_filters_combine(store: Store) -> None:
    store.create_ticket(Ticket(subject="a", customer_id="C1", type=TicketType.COMPLAINT))
    store.create_ticket(Ticket(subject="b", customer_id="C1", type=TicketType.CALLBACK))
    store.create_ticket(Ticket(subject="c", customer_id="C2", type=TicketType.COMPLAINT))
    q = TicketQuery(customer_id="C1", type=TicketType.COMPLAINT)
    assert [t.subject for t in store.list_tickets(q)] == ["a"]
    assert store.count_tickets(TicketQuery(statuses=frozenset({TicketStatus.NEW}))) == 3
    assert store.count_tickets(TicketQuery(statuses=frozenset({TicketStatus.CLOSED}))) == 0


def test_overdue_filter_finds_open_tickets_past_sla(store: Store) -> None:
    past = utcnow() - timedelta(days=10)
    late = store.create_ticket(Ticket(subject="late", created_at=past))
    done = store.create_ticket(Ticket(subject="done", created_at=past, status=TicketStatus.CLOSED))
    store.create_ticket(Ticket(subject="fresh"))
    overdue = store.list_tickets(TicketQuery(overdue_at=utcnow()))
    assert [t.id for t in overdue] == [late.id]
    assert done.id not in {t.id for t in overdue}


def test_ticket_list_is_windowed_newest_first(store: Store) -> None:
    base = utcnow()
    for i in range(30):
        store.create_ticket(Ticket(subject=f"t{i}", created_at=base, updated_at=base + timedelta(seconds=i)))
    page = store.list_tickets(TicketQuery(limit=10, offset=10))
    assert [t.subject for t in page] == [f"t{i}" for i in range(19, 9, -1)]


# -- knowledge base --------------------------------------------------------------------
def _article(aid: str, lang: str, title: str, answer: str) -> KBArticle:
    return KBArticle(id=aid, language=lang, category="refunds", title=title, answer=answer)


def test_replacing_an_article_bumps_its_version(store: Store) -> None:
    a = store.upsert_article(_article("zh-1", "zh", "退款时效", "原路退回，3-5个工作日到账。"))
    b = store.upsert_article(a.model_copy(update={"answer": "原路退回，1-3个工作日到账。"}))
    assert (a.version, b.version) == (1, 2)
    assert store.get_article("zh-1").answer.startswith("原路退回，1-3")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [("退款", "zh", "zh-1"), ("refund", "en", "en-1"), ("流量结转", None, "zh-2")],
)
def test_kb_search_matches_two_character_words_and_english_stems(
    store: Store, text: str, lang: str | None, expected: str
) -> None:
    store.upsert_article(_article("zh-1", "zh", "退款时效", "申请退款后原路退回。"))
    store.upsert_article(_article("zh-2", "zh", "流量结转规则", "当月剩余流量可结转到次月。"))
    store.upsert_article(_article("en-1", "en", "Refund timelines", "Refunds go back to the original card."))
    hits = store.search_kb(text, language=lang)
    assert hits and hits[0].article.id == expected
    assert all(h.article.language == lang for h in hits if lang)
    assert store.search_kb("?!") == []


def test_articles_are_listed_by_language(store: Store) -> None:
    store.upsert_article(_article("zh-1", "zh", "退款", "x"))
    store.upsert_article(_article("en-1", "en", "Refund", "x"))
    assert [a.id for a in store.list_articles(language="en")] == ["en-1"]
    assert len(store.list_articles()) == 2


# -- surveys and feedback ------------------------------------------------------------------
def test_survey_answer_is_saved(store: Store) -> None:
    s = store.upsert_survey(Survey(ticket_id="TK-1"))
    store.upsert_survey(s.model_copy(update={"status": SurveyStatus.ANSWERED, "score": 5}))
    assert store.get_survey(s.id).score == 5
    assert [x.id for x in store.list_surveys(ticket_id="TK-1", status="answered")] == [s.id]


def test_accepting_feedback_updates_the_kb_in_the_same_step(store: Store) -> None:
    article = store.upsert_article(_article("zh-1", "zh", "退款时效", "3-5个工作日"))
    fb = store.create_feedback(
        BotFeedback(call_id="CALL-1", reason=FeedbackReason.WRONG_ANSWER, flagged_by="A1")
    )
    assert [f.id for f in store.list_feedback(status="open")] == [fb.id]
    fixed = article.model_copy(update={"answer": "1-3个工作日"})
    reviewed = store.review_feedback(fb.id, accepted=True, reviewer="T1", article=fixed)
    assert (reviewed.status, reviewed.reviewed_by) == (FeedbackStatus.ACCEPTED, "T1")
    assert store.get_article("zh-1").answer == "1-3个工作日"
    with pytest.raises(Conflict):
        store.review_feedback(fb.id, accepted=False, reviewer="T1")


def test_rejected_feedback_leaves_the_kb_alone(store: Store) -> None:
    article = store.upsert_article(_article("zh-1", "zh", "退款时效", "3-5个工作日"))
    fb = store.create_feedback(BotFeedback(call_id="CALL-1", reason=FeedbackReason.MISHEARD, flagged_by="A1"))
    store.review_feedback(fb.id, accepted=False, reviewer="T1")
    assert store.get_article("zh-1") == article
    assert store.list_feedback(status="open") == []


def test_feedback_and_training_results_are_windowed_newest_first(store: Store) -> None:
    from agentdesk.domain.models import TrainingResult

    base = utcnow()
    for i in range(3):
        at = base + timedelta(minutes=i)
        store.create_feedback(
            BotFeedback(
                id=f"FB-{i}", call_id="CALL-1", reason=FeedbackReason.MISHEARD, flagged_by="A1", created_at=at
            )
        )
        store.save_training_result(
            TrainingResult(id=f"TR-{i}", trainee="A1", script_id="zh-05", started_at=at)
        )
    assert [f.id for f in store.list_feedback(limit=1, offset=1)] == ["FB-1"]
    assert [f.id for f in store.list_feedback(status="open", limit=5, offset=2)] == ["FB-0"]
    assert [r.id for r in store.list_training_results(trainee="A1", limit=2, offset=1)] == ["TR-1", "TR-0"]


# -- change feed -------------------------------------------------------------------------
def test_every_write_lands_in_the_change_feed_with_its_actor(store: Store, agents: list[Agent]) -> None:
    start = store.last_seq()
    t = store.create_transfer(_transfer())
    store.claim_transfer(t.id, "A2")
    ticket = store.create_ticket(Ticket(subject="x"), actor="A2")
    events = store.events_since(start)
    assert [e.kind for e in events] == ["transfer.created", "transfer.claimed", "ticket.created"]
    assert [e.seq for e in events] == sorted(e.seq for e in events)
    assert events[1].actor == "A2" and events[2].entity_id == ticket.id
    assert store.last_seq() == events[-1].seq
    assert store.events_since(store.last_seq()) == []
    assert [e.kind for e in store.events_since(0, entity_id=t.id)] == ["transfer.created", "transfer.claimed"]


def test_failed_write_leaves_no_event(store: Store) -> None:
    seq = store.last_seq()
    with pytest.raises(NotFound):
        store.update_ticket("TK-NONE", note="x")
    assert store.last_seq() == seq


def test_bulk_load_writes_every_record(store: Store) -> None:
    call = Call(id="CALL-B")
    n = store.bulk_load(
        [
            Customer(id="C9", name="x"),
            call,
            Utterance(call_id="CALL-B", speaker=Speaker.BOT, text="hi"),
            Ticket(subject="y"),
        ]
    )
    assert n == 4
    assert store.list_utterances("CALL-B")[0].text == "hi"
    assert store.is_empty()  # no agents and no articles yet: a first run would seed


# -- trainer results ---------------------------------------------------------------------------
def test_training_results_are_listed_newest_first_per_trainee(store: Store) -> None:
    from agentdesk.domain.models import TrainingDecision, TrainingResult

    old = TrainingResult(
        trainee="A01",
        script_id="zh-05",
        started_at=utcnow() - timedelta(hours=1),
        decisions=[
            TrainingDecision(point="outcome", chosen="contained", expected="transferred", correct=False)
        ],
    )
    new = TrainingResult(
        trainee="A01",
        script_id="zh-05",
        decisions=[
            TrainingDecision(point="outcome", chosen="transferred", expected="transferred", correct=True)
        ],
    )
    other = TrainingResult(trainee="A02", script_id="en-01")
    for r in (old, new, other):
        store.save_training_result(r)
    mine = store.list_training_results(trainee="A01")
    assert [r.id for r in mine] == [new.id, old.id]
    assert (mine[0].score, mine[1].score) == (1.0, 0.0)
    assert len(store.list_training_results()) == 3
    assert store.events_since(0, entity_id=new.id)[0].kind == "training.saved"


def test_ticket_type_can_change_and_keeps_its_history(store: Store) -> None:
    t = store.create_ticket(Ticket(subject="billing question"))
    changed = store.update_ticket(t.id, type=TicketType.COMPLAINT, note="customer wants it as a complaint")
    assert changed.type == TicketType.COMPLAINT
    assert store.get_ticket(t.id).type == TicketType.COMPLAINT
    assert store.count_tickets(TicketQuery(type=TicketType.COMPLAINT)) == 1
