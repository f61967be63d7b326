"""The identity check the bot runs when an agent hands the caller back to it (SPEC section 7):
one question only the account holder can answer (the last four of their ID, card or account
number), one more try after a wrong or unclear answer, and the calling number as a second
factor. Pure functions over the customer's data and the caller's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from agentdesk.bot.number_words import HAN_DIGITS
from agentdesk.domain.masking import mask_phone, spoken_numbers
from agentdesk.domain.models import Customer

Factor = Literal["id_number", "passport", "card", "account"]
TRIES = 2
"""Answers the caller may give: a wrong or unclear first answer gets one more try."""

_CN_ID = re.compile(r"\d{17}[\dXx]|\d{15}")
_AS_DIGIT = str.maketrans(
    {
        **{h: str(d) for h, d in HAN_DIGITS.items()},
        "幺": "1",
        "叉": "X",
        **{chr(0xFF10 + d): str(d) for d in range(10)},
    }
)
"""Chinese numerals (幺 for 1, 两 for 2 as callers say them), full-width digits, and 叉 for the
X an ID number may end in, each as one character of the number."""
_A_YEAR = re.compile(r"\s*年")
_SINCE = re.compile(r"(?i)\b(?:since|from|year)\s*$")
_ENDS_IN = re.compile(r"(?i)尾号|后四位|最后四位|ends? (?:in|with)|ending(?: in)?|last (?:four|4)")
_RUN = re.compile(r"(?:\d[\s,、.-]*)*\d(?:[\s,、.-]*[Xx](?![A-Za-z]))?")
"""Digits said in one go, spaced or not, maybe ending in the X of an ID number."""


@dataclass(frozen=True)
class IdentityCheck:
    """One identity check in progress: what is asked, and how the caller has answered so far."""

    factor: Factor | None
    """What the question is about; None: nothing on file to ask, the calling number decides."""
    expected: str = field(repr=False)
    """The last four characters of that number (upper-case X kept); never shown to anyone, not
    even in a debug print of the check."""
    caller_matches: bool
    """The calling number is one of the account's phone numbers (the second factor)."""
    number_shown: str = ""
    """The account's phone number, masked, as the result names it."""
    wrong: int = 0
    unclear: int = 0

    @property
    def tries(self) -> int:
        return self.wrong + self.unclear


@dataclass(frozen=True)
class Verdict:
    """What one step of the check decided: `passed` None while the caller gets another try."""

    check: IdentityCheck
    passed: bool | None
    text: str
    """What the bot says to the caller."""
    note: str = ""
    """For the agent only: why the check passed or failed (the caller does not hear it)."""


def _tail(value: str | None) -> str:
    chars = re.sub(r"[^0-9Xx]", "", value or "").upper()
    return chars[-4:] if len(chars) >= 4 else ""


def start_check(customer: Customer, caller: str | None) -> IdentityCheck:
    """The check for `customer` called from `caller`: ask for the last four of the ID number,
    else of the card on file, else of the account number; none of them: the calling number only."""
    on_file = {re.sub(r"\D", "", c.value) for c in customer.contacts if c.kind == "phone"}
    matches = bool(caller) and re.sub(r"\D", "", caller or "") in on_file
    shown = mask_phone(customer.phone or "")
    id_number = (customer.id_number or "").strip()
    for factor, value in (
        ("id_number" if _CN_ID.fullmatch(id_number) else "passport", id_number),
        ("card", customer.card_last4),
        ("account", customer.account_no),
    ):
        if tail := _tail(value):
            return IdentityCheck(factor, tail, matches, shown)  # type: ignore[arg-type]
    return IdentityCheck(None, "", matches, shown)


def said_tail(text: str) -> str | None:
    """The last four characters of the number the caller says ("嗯，是4806吧", 四八零六,
    "four eight oh six", "double five one two", 尾号是123X), or None when they say fewer than
    four digits ("I don't remember", 不记得了). A longer number said whole counts by its end."""
    for match, digits in reversed(list(spoken_numbers(text))):
        text = text[: match.start()] + f" {digits} " + text[match.end() :]
    text = text.translate(_AS_DIGIT)
    runs = [
        (m.start(), re.sub(r"[^0-9X]", "", m.group().upper()))
        for m in _RUN.finditer(text)
        if not _A_YEAR.match(text, m.end()) and not _SINCE.search(text[max(0, m.start() - 8) : m.start()])
    ]
    runs = [(at, r) for at, r in runs if len(r) >= 4]
    if not runs:
        return None
    # "尾号4806，2019年开的户", "it ends in 4806, account since 2019": the digits named as the end win
    named = [r for at, r in runs if _ENDS_IN.search(text[max(0, at - 12) : at])]
    return (named or [r for _, r in runs])[-1][-4:]


def answer(check: IdentityCheck, text: str, lang: str) -> Verdict:
    """The check after the caller's answer `text`: passed, failed, or asked again (once)."""
    said = said_tail(text)
    if said is not None and said == check.expected:
        return Verdict(check, True, _said_to_caller(True, lang), _passed_note(check, lang))
    check = replace(check, wrong=check.wrong + 1) if said else replace(check, unclear=check.unclear + 1)
    if check.tries < TRIES:
        return Verdict(check, None, _again_text(check, lang, unclear=said is None))
    return Verdict(check, False, _said_to_caller(False, lang), _failed_note(check, lang))


_WHAT = {
    "zh": {
        "id_number": "身份证号码",
        "passport": "证件号码",
        "card": "绑定的银行卡卡号",
        "account": "账户号码",
    },
    "en": {
        "id_number": "ID number",
        "passport": "passport number",
        "card": "card linked to your account",
        "account": "account number",
    },
}


def _what(check: IdentityCheck, lang: str) -> str:
    """The number the check asks about, in words: 身份证号码, "card linked to your account"."""
    return _WHAT["zh" if lang == "zh" else "en"][check.factor or "account"]


def question_text(check: IdentityCheck, lang: str) -> str:
    """What the bot asks the caller."""
    if check.factor is None:
        raise ValueError("nothing on file to ask about")
    what = _what(check, lang)
    if lang == "zh":
        return f"为了核实您的身份，请说一下您{what}的后四位。"
    return f"To confirm it's you, could you tell me the last four digits of your {what}?"


def _again_text(check: IdentityCheck, lang: str, *, unclear: bool) -> str:
    what = _what(check, lang)
    if lang == "zh":
        return (
            f"没关系，您再想一想，请说{what}的后四位数字。"
            if unclear
            else "和我们登记的不一致，麻烦您再说一遍。"
        )
    if unclear:
        return f"No problem, take a moment. Could you say the last four digits of your {what}?"
    return "That doesn't match; could you say it again?"


def _caller_note(check: IdentityCheck, lang: str) -> str:
    shown = check.number_shown
    if lang == "zh":
        return f"来电号码{shown}与账户登记一致" if check.caller_matches else "来电号码与账户登记不一致"
    return (
        f"the calling number {shown} is on the account"
        if check.caller_matches
        else "the calling number is not on the account"
    )


def number_only(check: IdentityCheck, lang: str) -> Verdict:
    """The verdict of a check with nothing on file to ask about. The calling number is how the
    caller was found in the first place, so it proves nothing alone: the check does not pass,
    and the agent verifies by hand with what the calling number says."""
    calling = _caller_note(check, lang)
    if lang == "zh":
        note = f"账户没有可提问的证件号或卡号，仅核对了来电号码（{calling}），请人工核实。"
    else:
        note = f"Nothing on the account to ask about, so only the calling number was checked ({calling}); please verify manually."
    return Verdict(check, False, _said_to_caller(False, lang), note)


def _said_to_caller(passed: bool, lang: str) -> str:
    """The bot's words to the caller at the end of the check; the reasons are the agent's."""
    if lang == "zh":
        return "谢谢，已核实您的身份。" if passed else "抱歉，暂时没能核实您的身份，稍后由客服为您人工核实。"
    return (
        "Thank you, that's confirmed."
        if passed
        else "Sorry, I couldn't confirm it's you; my colleague will help."
    )


def _passed_note(check: IdentityCheck, lang: str) -> str:
    calling = _caller_note(check, lang)
    what = _what(check, lang)
    if lang == "zh":
        return f"身份核验通过：客户答对了{what}后四位，{calling}。"
    return f"Identity check passed: the caller gave the right last four of the {what}, and {calling}."


def _failed_note(check: IdentityCheck, lang: str) -> str:
    """Why the check failed, from both counts: no answer twice, wrong twice, or one of each."""
    what = _what(check, lang)
    if lang == "zh":
        if not check.wrong:
            why = f"客户说不出{what}后四位"
        elif not check.unclear:
            why = f"客户两次说的{what}后四位都不对"
        else:
            why = f"客户一次答错、一次说不出{what}后四位"
        return f"身份核验未通过：{why}，请人工核实。"
    if not check.wrong:
        why = f"the caller could not give the last four of the {what}"
    elif not check.unclear:
        why = f"the caller gave the wrong last four of the {what} twice"
    else:
        why = f"the caller gave one wrong answer and could not give the last four of the {what} once"
    return f"Identity check failed: {why}; please verify manually."
