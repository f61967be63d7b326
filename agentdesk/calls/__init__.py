"""Sample calls: the script format, loading, and the replay runner shared by CLI, trainer, tests and benches."""
