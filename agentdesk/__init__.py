"""AgentDesk: the human half of a contact centre where a voice bot answers first."""

__version__ = "0.1.0"
