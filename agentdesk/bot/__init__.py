"""The bot brain: dialogue turns, transfer policy and trigger ledger, handoff packets, human-to-bot tasks."""
