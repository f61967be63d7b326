"""Speech tests: real faster-whisper on installed model packages and real audio."""
