"""Pure text functions: language, normalisation, tokens, KB retrieval, emotion, intents."""
