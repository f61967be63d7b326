"""`agentdesk replay CALL`: run a sample call through the bot headless and show every decision."""

from __future__ import annotations

import click

from agentdesk.commands.common import settings_from
from agentdesk.commands.output import console as make_console
from agentdesk.commands.output import echo_json, masked
from agentdesk.domain.models import EmotionLevel


def _store():  # type: ignore[no-untyped-def]
    """A private in-memory store with the demo data, so replays never touch the user's database."""
    from agentdesk.store.seed import seed_store
    from agentdesk.store.sqlite import SqliteStore

    store = SqliteStore(":memory:", actor="replay")
    seed_store(store)
    return store


def _render(result, lang: str) -> None:  # type: ignore[no-untyped-def]
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    console = make_console()
    s = result.script
    console.print(
        Text.assemble(
            (s.id, "bold"), "  ", masked(s.title), "  ", (f"{s.language} · {s.at:%Y-%m-%d %H:%M %Z}", "dim")
        )
    )
    table = Table(show_lines=False, expand=True, box=None, pad_edge=False)
    for col, kw in (
        ("#", {"width": 2}),
        ("who", {"width": 8}),
        ("line / bot reply", {"ratio": 5}),
        ("emotion", {"width": 8}),
        ("KB match (✓ answered)", {"ratio": 2}),
        ("rules", {"ratio": 2}),
    ):
        table.add_column(col, **kw)
    for t, said in zip(result.turns, result.said, strict=True):
        who = {"customer": "customer", "bot": "bot(rec)", "agent": "agent"}[t.speaker]
        line = Text(said, style="dim" if t.speaker == "bot" else "")
        if t.reply:
            line.append("\n↳ bot: " + masked(t.reply), style="magenta")
        if t.task:
            line.append(
                f"\n↳ bot ({t.task.task}): " + masked(t.task.text), style="green" if t.task.ok else "red"
            )
            if t.task.note:  # for the agent, not said to the caller
                line.append("\n  note: " + masked(t.task.note), style="dim")
        kb = Text("")
        if t.kb:
            mark = "✓ " if t.answered else "· "
            kb = Text(f"{mark}{t.kb[1]} {t.kb[2]:.2f}", style="cyan" if t.answered else "dim")
        rules = Text(", ".join(str(e.rule) for e in t.entries), style="bold red")
        if t.decided:
            rules.append(f"\n→ {t.decided}", style="bold yellow")
        emotion = "" if t.emotion is None else f"{t.emotion} {EmotionLevel(t.emotion).name.lower()}"
        table.add_row(str(t.index), who, line, emotion, kb, rules)
    console.print(table)
    console.print(
        Text(
            "# is the line's index in the call, as in the ledger and --json. bot(rec) is the recorded "
            "bot line; ↳ bot is what the engine says now. ✓ marks a KB match the bot answered with.",
            style="dim",
        )
    )
    summary = Table.grid(padding=(0, 2))
    summary.add_row("outcome", Text(str(result.outcome), style="bold"))
    summary.add_row("triggers", ", ".join(result.rules) or "—")
    if result.agent:
        summary.add_row("routed to", f"{result.agent.name} ({result.agent.id}, {result.agent.level})")
    if result.assignment:
        summary.add_row("why", "\n".join(result.assignment.rationale.lines(lang)))
    ticket_type = str(result.ticket_type or "—")
    if result.ticket_type and not result.tickets:
        ticket_type += " (drafted for the agent at wrap-up; the bot filed none)"
    summary.add_row("ticket", ticket_type)
    for ticket in result.tickets:
        summary.add_row(
            "",
            masked(
                f"{ticket.id} {ticket.type} {ticket.priority}: {ticket.subject}"
                + (f" — {ticket.promise}" if ticket.promise else "")
            ),
        )
    if result.hand_back:
        summary.add_row("hand-back", masked(f"{result.hand_back.task}: {result.hand_back.text}"))
    problems = result.mismatches()
    verdict = (
        Text("✓ matches the expected outcome", style="bold green")
        if not problems
        else Text("✗ " + "; ".join(problems), style="bold red")
    )
    summary.add_row("check", verdict)
    console.print(Panel(summary, title="decision", expand=True))


@click.command()
@click.argument("call", required=False)
@click.option("--all", "run_all", is_flag=True, help="Replay every sample call and summarise.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def replay(ctx: click.Context, call: str | None, run_all: bool, as_json: bool) -> None:
    """Run sample call CALL (an id, unique id prefix such as zh-03, or a path) through the bot.

    Prints each turn with the bot's reply, emotion, KB match and the trigger ledger, then
    the decision: outcome, routed agent and why, ticket, hand-back result, and whether it
    matches the script's expected outcome. Exits 1 when it does not. Card, ID and phone
    numbers are masked, as everywhere else.
    """
    if not call and not run_all:
        raise click.UsageError("name a sample call (e.g. zh-03) or pass --all")
    if call and run_all:
        raise click.UsageError(f"name a sample call ({call!r}) or pass --all, not both")
    from agentdesk.calls.library import ScriptError, find_script, load_script, script_paths
    from agentdesk.calls.replay import Replayer

    settings = settings_from(ctx)
    try:
        paths = script_paths() if run_all else [find_script(call or "")]
        scripts = [load_script(p) for p in paths]
    except ScriptError as exc:
        raise click.ClickException(str(exc)) from None
    replayer = Replayer(_store(), settings)
    results = [replayer.run(s) for s in scripts]
    lang = settings.ui.lang or "en"
    if as_json:
        data = [r.to_json() for r in results]
        echo_json(data if run_all else data[0])
    elif run_all:
        for r in results:
            mark = "✓" if not r.mismatches() else "✗ " + "; ".join(r.mismatches())
            who = f"{r.agent.level} {r.agent.id}" if r.agent else "-"
            click.echo(f"{r.script.id:<42} {r.outcome!s:<12} {','.join(r.rules) or '-':<48} {who:<12} {mark}")
    else:
        _render(results[0], lang)
    if any(r.mismatches() for r in results):
        raise SystemExit(1)
