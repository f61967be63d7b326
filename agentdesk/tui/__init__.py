"""The Textual workstation: desk, tickets, supervisor, trainer and review screens."""
