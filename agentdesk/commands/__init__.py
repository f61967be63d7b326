"""Subcommands of the `agentdesk` CLI, each imported only when run."""
