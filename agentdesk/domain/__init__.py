"""Pure business rules and models: no I/O, no UI, no network."""
