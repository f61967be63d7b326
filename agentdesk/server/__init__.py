"""The AgentDesk team server: the Store behind HTTP for many desks and voice bots."""
