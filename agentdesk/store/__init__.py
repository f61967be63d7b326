"""Persistence: the Store contract and its backends."""
