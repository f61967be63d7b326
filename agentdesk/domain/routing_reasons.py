"""The readable reasons behind routing decisions, in English and Simplified Chinese.

Each builder returns a `RationaleReason` with a stable `code` (for filters, tests and
exports) and both texts, so the desk shows the reason in whichever language its UI uses.

Builders are memoised: a pass over 10,000 transfers repeats a few hundred distinct
reasons, and allocating one object per use costs more in garbage collection than the
routing itself. The same reason object is therefore shared by many rationales; treat
reasons as read-only values.
"""

from __future__ import annotations

from functools import lru_cache

from agentdesk.domain.models import AgentLevel
from agentdesk.domain.routing_policy import LEVELS, Escalation
from agentdesk.domain.transfers import RationaleReason

LEVEL_NAMES: dict[AgentLevel, tuple[str, str]] = {
    AgentLevel.JUNIOR: ("junior", "初级"),
    AgentLevel.SENIOR: ("senior", "资深"),
    AgentLevel.GOLD: ("gold", "金牌"),
}
LANGUAGE_NAMES: dict[str, tuple[str, str]] = {"zh": ("Chinese", "中文"), "en": ("English", "英语")}
SKILL_NAMES: dict[str, tuple[str, str]] = {
    "billing": ("billing", "账单"),
    "data_plans": ("data plans", "流量套餐"),
    "orders_delivery": ("orders and delivery", "订单配送"),
    "refunds": ("refunds", "退款"),
    "account_security": ("account security", "账户安全"),
    "complaints": ("complaints", "投诉处理"),
    "vip": ("VIP service", "VIP服务"),
    "general": ("general enquiries", "综合咨询"),
}
"""Names of the skills the demo centre uses; any other skill shows as its slug."""

_ESCALATIONS: dict[Escalation, tuple[str, str]] = {
    Escalation.VIP_COMPLEX: (
        "VIP customer with a complex request: gold agents first",
        "VIP客户且诉求复杂：优先金牌坐席",
    ),
    Escalation.VIP_ANGRY: ("VIP customer is angry: gold agents first", "VIP客户情绪激动：优先金牌坐席"),
    Escalation.VIP: (
        "VIP customer the bot could not serve: gold agents first",
        "VIP客户，机器人无法办理：优先金牌坐席",
    ),
    Escalation.HIGH_VALUE: ("High-value order: gold agents first", "高价值订单：优先金牌坐席"),
    Escalation.ANGRY: ("Customer is angry: senior agents first", "客户情绪激动：优先资深坐席"),
    Escalation.COMPLEX_COMPLAINT: ("Complex complaint: senior agents first", "复杂投诉：优先资深坐席"),
    Escalation.ROUTINE: ("Routine request: any level, juniors first", "常规诉求：各级坐席均可，优先初级坐席"),
}


_shared = lru_cache(maxsize=2048)

_COMPARING = (
    "match.skill-missing.",
    "match.level-not-free.",
    "match.level-lacks-skill.",
    "match.affinity.over-skill.",
)


def compares_agents(reason: RationaleReason) -> bool:
    """The reason speaks of other agents (who is free, who has a skill), not of the pick alone.

    Such a reason holds for the roster it was decided over; a rationale rebuilt for one
    agent on their own (a call they already hold) should leave it out.
    """
    return reason.code.startswith(_COMPARING)


def _reason(code: str, en: str, zh: str) -> RationaleReason:
    return RationaleReason(code=code, en=en, zh=zh)


def _skill(slug: str) -> tuple[str, str]:
    return SKILL_NAMES.get(slug, (slug.replace("_", " "), slug))


def duration(seconds: float) -> tuple[str, str]:
    """A short wait length: `45 s` / `45秒` under a minute, whole minutes after."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s", f"{seconds}秒"
    return f"{seconds // 60} min", f"{seconds // 60}分钟"


def _pool(min_rank: int) -> tuple[str, str]:
    """The lowest level a pool reaches: `senior` / `资深坐席`, or `all levels` / `所有级别`."""
    if min_rank <= 0:
        return "all levels", "所有级别"
    en, zh = LEVEL_NAMES[LEVELS[min_rank]]
    return en, f"{zh}坐席"


def _levels_from(min_rank: int) -> tuple[str, str]:
    """The levels from `min_rank` up: `gold` / `金牌`, `senior or gold` / `资深或金牌`."""
    names = [LEVEL_NAMES[lvl] for lvl in LEVELS[min_rank:]]
    return " or ".join(en for en, _ in names), "或".join(zh for _, zh in names)


@_shared
def for_escalation(why: Escalation) -> RationaleReason:
    """The rule that picked the preferred level."""
    en, zh = _ESCALATIONS[why]
    return _reason(code=f"rule.{why}", en=en, zh=zh)


@_shared
def widened(waited_seconds: int, min_rank: int) -> RationaleReason:
    """The pool has widened because the customer waited."""
    wait_en, wait_zh = duration(waited_seconds)
    pool_en, pool_zh = _pool(min_rank)
    return _reason(
        code="stage.widened",
        en=f"Waited {wait_en}: pool widened to {pool_en}",
        zh=f"已等待{wait_zh}：范围扩大到{pool_zh}",
    )


@_shared
def speaks(languages: tuple[str, ...]) -> RationaleReason:
    """The agent speaks the customer's language(s)."""
    names = [LANGUAGE_NAMES.get(lang, (lang, lang)) for lang in languages]
    return _reason(
        code="match.language",
        en="Speaks " + " and ".join(en for en, _ in names),
        zh="会说" + "和".join(zh for _, zh in names),
    )


@_shared
def skill(slug: str) -> RationaleReason:
    """The agent has a skill the transfer needs or prefers."""
    en, zh = _skill(slug)
    return _reason(code=f"match.skill.{slug}", en=f"Skill: {en}", zh=f"技能：{zh}")


@_shared
def no_skill_needed() -> RationaleReason:
    """A general enquiry: any agent's skills will do."""
    return _reason(
        code="match.skill.none-needed",
        en="General enquiry: no special skill needed",
        zh="一般咨询：无需专项技能",
    )


@_shared
def skill_missing(slug: str, agent_level: AgentLevel | None) -> RationaleReason:
    """The agent lacks the skill because no free agent (of the level the rule puts first) has it."""
    skill_en, skill_zh = _skill(slug)
    if agent_level is None:
        en, zh = f"No free agent has the {skill_en} skill", f"没有空闲坐席具备{skill_zh}技能"
    else:
        level_en, level_zh = LEVEL_NAMES[agent_level]
        en, zh = (
            f"No free {level_en} agent has the {skill_en} skill",
            f"没有空闲的{level_zh}坐席具备{skill_zh}技能",
        )
    return _reason(code=f"match.skill-missing.{slug}", en=en, zh=zh)


@_shared
def level_not_free(agent_level: AgentLevel) -> RationaleReason:
    """The level the rule puts first has nobody free, so the next one took it."""
    level_en, level_zh = LEVEL_NAMES[agent_level]
    return _reason(
        code=f"match.level-not-free.{agent_level}",
        en=f"No {level_en} agent is free",
        zh=f"没有空闲的{level_zh}坐席",
    )


@_shared
def level_lacks_skill(agent_level: AgentLevel, slug: str) -> RationaleReason:
    """Free agents of the preferred level lack a skill this agent has, so skill won."""
    level_en, level_zh = LEVEL_NAMES[agent_level]
    skill_en, skill_zh = _skill(slug)
    return _reason(
        code=f"match.level-lacks-skill.{agent_level}",
        en=f"No free {level_en} agent has the {skill_en} skill",
        zh=f"没有空闲的{level_zh}坐席具备{skill_zh}技能",
    )


@_shared
def level(agent_level: AgentLevel) -> RationaleReason:
    """The agent's level."""
    en, zh = LEVEL_NAMES[agent_level]
    return _reason(code=f"match.level.{agent_level}", en=f"{en.capitalize()} agent", zh=f"{zh}坐席")


@_shared
def least_loaded(active: int, capacity: int) -> RationaleReason:
    """Among equally good matches, the agent with the lightest load."""
    calls = "call" if capacity == 1 else "calls"
    return _reason(
        code="match.load",
        en=f"Least loaded: {active} of {capacity} {calls}",
        zh=f"负载最低：{capacity}路中占用{active}路",
    )


@_shared
def skipped_declined(count: int) -> RationaleReason:
    """Agents who declined this transfer were passed over."""
    who = "agent who declined" if count == 1 else "agents who declined"
    return _reason(code="skip.declined", en=f"Skipped {count} {who}", zh=f"已跳过{count}位拒接的坐席")


@_shared
def timed_out(agent_name: str, timeout_seconds: int) -> RationaleReason:
    """The previous offer was not accepted in time."""
    wait_en, wait_zh = duration(timeout_seconds)
    return _reason(
        code="skip.timeout",
        en=f"Offer to {agent_name} timed out after {wait_en}",
        zh=f"{agent_name}{wait_zh}内未接听，已转下一位",
    )


@_shared
def no_capable_agent(languages: tuple[str, ...]) -> RationaleReason:
    """Queued: no agent at all speaks the customer's language, whatever their status."""
    names = [LANGUAGE_NAMES.get(lang, (lang, lang)) for lang in languages]
    return _reason(
        code="queue.no-capable-agent",
        en="No agent speaks " + " or ".join(en for en, _ in names),
        zh="没有会说" + "或".join(zh for _, zh in names) + "的坐席",
    )


@_shared
def all_busy(capable: int) -> RationaleReason:
    """Queued: every agent who speaks the customer's language is at capacity, away or offline."""
    if capable == 1:
        en = "The only capable agent is busy, away or offline"
    else:
        en = f"All {capable} capable agents are busy, away or offline"
    return _reason(code="queue.all-busy", en=en, zh=f"{capable}位合适的坐席都在忙、离开或离线")


@_shared
def all_declined() -> RationaleReason:
    """Queued: the only free capable agents declined or let the offer time out."""
    return _reason(
        code="queue.all-declined",
        en="Every free capable agent declined or let the offer time out",
        zh="空闲的合适坐席都已拒接或超时未接",
    )


@_shared
def waiting_for_level(min_rank: int, next_min_rank: int, widens_in: int) -> RationaleReason:
    """Queued: agents of other levels are free, but the preferred level comes first for now."""
    now_en, now_zh = _levels_from(min_rank)
    next_en, next_zh = _pool(next_min_rank)
    in_en, in_zh = duration(widens_in)
    return _reason(
        code="queue.waiting-for-level",
        en=f"Waiting for a {now_en} agent: pool widens to {next_en} in {in_en}",
        zh=f"等待{now_zh}坐席：{in_zh}后范围扩大到{next_zh}",
    )


_CONTACTS: dict[str, tuple[str, str, str, str]] = {
    "ticket": ("ticket", "tickets", "张工单", "处理过"),
    "call": ("call", "calls", "通电话", "接听过"),
    "contact": ("contact", "contacts", "次联系", "处理过"),
}


@_shared
def previous_agent(handled: int, kind: str) -> RationaleReason:
    """The agent served this customer's latest contacts (`handled` of them in a row)."""
    one, many, zh_unit, zh_verb = _CONTACTS.get(kind, _CONTACTS["contact"])
    if handled <= 1:
        en = f"Handled this customer's last {one}"
    else:
        en = f"Handled this customer's last {handled} {many}"
    return _reason(code="match.affinity", en=en, zh=f"{zh_verb}该客户最近的{max(1, handled)}{zh_unit}")


@_shared
def served_before() -> RationaleReason:
    """The agent served this customer recently, though not on their latest contact."""
    return _reason(code="match.affinity", en="Served this customer recently", zh="近期服务过该客户")


@_shared
def dedicated_adviser() -> RationaleReason:
    """The customer's record asks for a dedicated adviser, so their previous agent comes first."""
    return _reason(
        code="match.affinity.dedicated",
        en="Customer's record asks for a dedicated adviser",
        zh="客户资料注明需要专属顾问",
    )


@_shared
def adviser_before_skill(slug: str) -> RationaleReason:
    """The customer's own agent was preferred to agents who have the request's skill."""
    en, zh = _skill(slug)
    return _reason(
        code=f"match.affinity.over-skill.{slug}",
        en=f"Knows the customer: preferred to agents with the {en} skill",
        zh=f"熟悉该客户：优先于具备{zh}技能的坐席",
    )


@_shared
def has_free_slot(active: int, capacity: int) -> RationaleReason:
    """The agent's load when affinity, not load, chose them."""
    calls = "call" if capacity == 1 else "calls"
    return _reason(
        code="match.load.free",
        en=f"Free slot: {active} of {capacity} {calls} in use",
        zh=f"有空闲线路：{capacity}路中占用{active}路",
    )


@_shared
def waiting_for_adviser(agent_name: str, seconds_left: int) -> RationaleReason:
    """Queued: the customer's previous agent is on another call; the wait for them is bounded."""
    in_en, in_zh = duration(seconds_left)
    return _reason(
        code="queue.waiting-for-adviser",
        en=f"Waiting for {agent_name}, who knows this customer: at most {in_en} more",
        zh=f"等待熟悉该客户的{agent_name}：最多再等{in_zh}",
    )
