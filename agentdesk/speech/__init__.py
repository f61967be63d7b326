"""Offline speech: audio sources, VAD endpointing, faster-whisper, Partial/Final events.

Submodules are imported on use; nothing here pulls in faster_whisper or sounddevice
until a transcriber or a microphone is actually opened.
"""
