"""The customer's profile card and account card (recent bills and orders); numbers masked."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from agentdesk.domain.masking import mask_text
from agentdesk.domain.models import Bill, Customer, Order
from agentdesk.tui.i18n import Catalog
from agentdesk.tui.widgets.format import tier_badge

CURRENCY = {"CNY": "¥", "GBP": "£", "USD": "$", "EUR": "€"}
ORDER_STYLE = {
    "processing": "yellow",
    "shipped": "cyan",
    "out_for_delivery": "bold cyan",
    "delivered": "green",
    "cancelled": "dim",
    "returned": "magenta",
}
RECENT = 3
"""Bills and orders shown; the profile is a summary, the bot reads out older ones on request."""


def money(amount: float, currency: str) -> str:
    """`¥1,280.00`, `£12.50`, or `12.50 CHF` for currencies without a symbol here."""
    symbol = CURRENCY.get(currency)
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,.2f}" if symbol else f"{amount:,.2f} {currency}"


def _grid() -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    return grid


def profile_renderable(c: Customer, t: Catalog) -> Group:
    """Name, tier and language on top; contacts and ids masked below (SPEC section 13)."""
    badge = tier_badge(c.tier, t)
    head = Text.assemble((c.name, "bold"), " ", badge, ("  ·  ", "dim"), t(f"customers.lang.{c.language}"))
    head.append(f"  ·  {c.id}", style="dim")
    grid = _grid()
    phones = [x.value for x in c.contacts if x.kind == "phone"]
    others = [f"{x.value}" for x in c.contacts if x.kind != "phone"]
    grid.add_row(
        t("customers.phone"),
        Text(mask_text(", ".join(phones)) or "—"),
        t("customers.email"),
        Text(", ".join(others) or "—"),
    )
    card = f"•••• {c.card_last4}" if c.card_last4 else "—"
    grid.add_row(
        t("customers.id_number"), Text(mask_text(c.id_number or "") or "—"), t("customers.card"), card
    )
    balance = (
        Text(money(c.balance, c.currency), style="red" if c.balance < 0 else "")
        if c.balance is not None
        else Text("—")
    )
    grid.add_row(t("customers.plan"), Text(c.plan or "—"), t("customers.balance"), balance)
    grid.add_row(
        t("customers.account"), Text(c.account_no or "—"), t("customers.since"), Text(c.since or "—")
    )
    parts: list[object] = [head, grid]
    if c.notes:
        parts.append(Text.assemble((t("customers.notes") + " ", "dim"), (mask_text(c.notes), "italic")))
    return Group(*parts)


def _cut(text: str, style: str = "") -> Text:
    """One line that ends in an ellipsis when its column is narrowed."""
    return Text(text, style=style, no_wrap=True, overflow="ellipsis")


def bills_renderable(bills: list[Bill], currency: str, t: Catalog) -> Text | Table:
    if not bills:
        return Text(t("customers.bills.none"), style="dim")
    shown = bills[:RECENT]
    # The month and the amount never give way; the state is cut first on a narrow screen.
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True, style="bold", min_width=max(cell_len(b.month) for b in shown))
    grid.add_column(
        no_wrap=True, justify="right", min_width=max(cell_len(money(b.total, currency)) for b in shown)
    )
    grid.add_column(ratio=1)  # wrappable, so Rich narrows it first; the text itself is cut
    for bill in shown:
        if bill.paid:
            state = _cut(t("customers.bills.paid"), "green")
        elif bill.due is None:
            state = _cut(t("customers.bills.current"), "dim")
        else:
            state = _cut(t("customers.bills.due", due=bill.due or "—"), "bold red")
        grid.add_row(bill.month, money(bill.total, currency), state)
    return grid


def orders_renderable(orders: list[Order], currency: str, t: Catalog) -> Text | Table:
    if not orders:
        return Text(t("customers.orders.none"), style="dim")
    shown = orders[:RECENT]
    # The amount never gives way; the status and the items are cut first on a narrow screen.
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True, style="dim", min_width=5)
    grid.add_column(max_width=12)  # wrappable, so Rich narrows these two first; the text is cut
    grid.add_column(ratio=1)
    grid.add_column(
        no_wrap=True, justify="right", min_width=max(cell_len(money(o.amount, currency)) for o in shown)
    )
    for order in shown:
        grid.add_row(
            order.placed[5:] or order.placed,
            _cut(t(f"customers.order.{order.status}"), ORDER_STYLE.get(order.status, "")),
            _cut(", ".join(order.items) or order.id),
            money(order.amount, currency),
        )
    return grid


class CustomerProfile(Static):
    """Who the customer is; the screen calls `show` when a profile has loaded."""

    def __init__(self, catalog: Catalog, *, id: str | None = None) -> None:
        super().__init__(Text(catalog("customers.profile.none"), style="dim"), id=id)
        self.t = catalog
        self.customer: Customer | None = None

    def on_mount(self) -> None:
        self.border_title = self.t("customers.profile.title")

    def show(self, customer: Customer | None) -> None:
        self.customer = customer
        if customer is None:
            self.update(Text(self.t("customers.profile.none"), style="dim"))
            return
        self.update(profile_renderable(customer, self.t))


class CustomerAccount(Static):
    """Recent bills or orders of the customer shown (`kind` is `bills` or `orders`)."""

    def __init__(self, catalog: Catalog, kind: str, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.t = catalog
        self.kind = kind

    def on_mount(self) -> None:
        self.border_title = self.t(f"customers.{self.kind}.title")

    def show(self, customer: Customer | None) -> None:
        if customer is None:
            self.update("")
            return
        if self.kind == "bills":
            self.update(bills_renderable(customer.bills, customer.currency, self.t))
            count = len(customer.bills)
        else:
            self.update(orders_renderable(customer.orders, customer.currency, self.t))
            count = len(customer.orders)
        self.border_subtitle = (
            self.t("customers.recent", shown=min(count, RECENT), total=count) if count else ""
        )
