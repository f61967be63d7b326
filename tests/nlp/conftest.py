"""Shared fixtures for the nlp tests: a small bilingual KB written inline."""

from __future__ import annotations

import pytest

from agentdesk.domain.models import KBArticle


def _a(id: str, language: str, category: str, title: str, questions: list[str], answer: str) -> KBArticle:
    return KBArticle(
        id=id, language=language, category=category, title=title, questions=questions, answer=answer
    )


@pytest.fixture(scope="session")
def small_kb() -> list[KBArticle]:
    """Twelve articles, six per language, on distinct topics."""
    return [
        _a(
            "zh-refund",
            "zh",
            "refunds",
            "申请退款流程",
            ["怎么申请退款", "钱什么时候退回来", "退款要多久到账"],
            "在订单页点击申请退款，审核通过后3到5个工作日原路退回。",
        ),
        _a(
            "zh-bill",
            "zh",
            "billing",
            "月账单说明",
            ["我的账单怎么看", "这个月话费为什么这么高"],
            "账单包括套餐月租、套餐外费用和增值业务费。",
        ),
        _a(
            "zh-data",
            "zh",
            "data_plans",
            "流量加油包",
            ["流量不够用了怎么办", "怎么买流量包"],
            "可以在App里购买流量加油包，当月有效。",
        ),
        _a(
            "zh-password",
            "zh",
            "account_security",
            "服务密码重置",
            ["密码忘了怎么办", "怎么修改服务密码"],
            "凭身份证在App或营业厅重置服务密码。",
        ),
        _a(
            "zh-delivery",
            "zh",
            "orders_delivery",
            "快递配送时效",
            ["我的快递什么时候到", "包裹几天能送到"],
            "一般下单后48小时内发货，3天左右送达。",
        ),
        _a(
            "zh-complaint",
            "zh",
            "complaint_policy",
            "投诉处理时限",
            ["投诉多久能处理", "我的投诉有结果了吗"],
            "投诉会在48小时内联系您，7个工作日内给出处理结果。",
        ),
        _a(
            "en-refund",
            "en",
            "refunds",
            "Requesting a refund",
            ["How do I get a refund?", "When will I get my money back?"],
            "Open the order and choose Request refund; once approved the money returns within 3 to 5 working days.",
        ),
        _a(
            "en-bill",
            "en",
            "billing",
            "Understanding your bill",
            ["How do I read my bill?", "Why is my bill so high this month?"],
            "Your bill shows the plan fee, usage outside the plan and add-on services.",
        ),
        _a(
            "en-data",
            "en",
            "data_plans",
            "Data add-ons",
            ["I've run out of data", "How do I buy more data?"],
            "Buy a data add-on in the app; it lasts until the end of the month.",
        ),
        _a(
            "en-password",
            "en",
            "account_security",
            "Resetting your password",
            ["I forgot my password", "How do I change my password?"],
            "Reset your password in the app or in a shop with photo ID.",
        ),
        _a(
            "en-delivery",
            "en",
            "orders_delivery",
            "Delivery times",
            ["When will my parcel arrive?", "Where is my delivery?"],
            "Orders ship within 48 hours and usually arrive in three days.",
        ),
        _a(
            "en-complaint",
            "en",
            "complaint_policy",
            "How long complaints take",
            ["How long does a complaint take?", "Any news on my complaint?"],
            "We contact you within 48 hours and resolve complaints within 7 working days.",
        ),
    ]
