"""Read a recording into 16 kHz float32 samples, one column per channel.

PyAV (FFmpeg) decodes WAV, FLAC, MP3, OGG/Vorbis/Opus and more, and its resampler
(libswresample, band-limited) brings any rate to 16 kHz. Every failure becomes an
`AudioError` with one line that names the file and the problem: missing, empty,
not audio, damaged or truncated, or a sample rate too low to hold speech.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from agentdesk.speech.errors import AudioError

SAMPLE_RATE = 16000
"""Whisper and Silero VAD both work on 16 kHz mono."""
MIN_RATE = 8000
"""Telephone band; below it speech loses the consonants whisper needs."""
MAX_RATE = 384000


def load_audio(path: str | Path, *, mono: bool = False) -> np.ndarray:
    """Decode a whole recording.

    Args:
        path: any format FFmpeg reads (WAV, FLAC, MP3, OGG...).
        mono: mix all channels into one instead of keeping one column per channel.

    Returns:
        float32 array of shape (samples, channels) at 16 kHz; more than two channels
        are mixed down to stereo.

    Raises:
        AudioError: the file is missing, empty, not audio, damaged, truncated, or
            sampled below 8 kHz.
    """
    import av  # FFmpeg bindings: only needed once a file is actually opened

    path = Path(path)
    name = path.name
    if not path.exists():
        raise AudioError(f"no such file: {path}", problem="missing", name=str(path))
    if not path.is_file():
        raise AudioError(f"{path} is not a file", problem="not_file", name=str(path))
    if path.stat().st_size == 0:
        raise AudioError(f"{name} is empty (0 bytes)", problem="empty", name=name)
    _check_wav_header(path)
    try:
        container = av.open(str(path))
    except av.error.FFmpegError as exc:
        reason = _reason(exc)
        raise AudioError(
            f"{name} is not a readable audio file ({reason})", problem="not_audio", name=name, detail=reason
        ) from None
    with container:
        if not container.streams.audio:
            raise AudioError(f"{name} has no audio stream", problem="no_audio_stream", name=name)
        stream = container.streams.audio[0]
        rate = stream.rate or 0
        if not MIN_RATE <= rate <= MAX_RATE:
            raise AudioError(
                f"{name} is sampled at {rate} Hz; speech needs {MIN_RATE}-{MAX_RATE} Hz "
                "(resample it, e.g. `sox in.wav -r 16000 out.wav`)",
                problem="bad_rate",
                name=name,
                rate=rate,
            )
        channels = 1 if mono or stream.channels == 1 else 2
        samples = _decode(container, stream, channels, name)
    if samples.shape[0] == 0:
        raise AudioError(f"{name} contains no audio samples", problem="no_samples", name=name)
    _check_length(stream, samples.shape[0], name)
    return samples


def _decode(container, stream, channels: int, name: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    import av

    layout = "mono" if channels == 1 else "stereo"
    resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
    chunks: list[np.ndarray] = []
    decoded = 0
    try:
        for frame in container.decode(stream):
            frame.pts = None  # the resampler keeps its own clock; source pts gaps break it
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray())
            decoded += frame.samples
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray())
    except av.error.FFmpegError as exc:
        seconds = decoded / (stream.rate or SAMPLE_RATE)
        detail = f"decoding failed after {seconds:.1f} s: {_reason(exc)}"
        raise AudioError(
            f"{name} is damaged or truncated ({detail})", problem="damaged", name=name, detail=detail
        ) from None
    if not chunks:
        return np.zeros((0, channels), np.float32)
    return np.ascontiguousarray(np.concatenate(chunks, axis=1).T, dtype=np.float32)


def _check_length(stream, got: int, name: str) -> None:  # type: ignore[no-untyped-def]
    """FLAC and PCM declare their length; a file that ends early was cut off."""
    if stream.codec_context.name != "flac" or not stream.duration or stream.time_base is None:
        return
    declared = float(stream.duration * stream.time_base)
    actual = got / SAMPLE_RATE
    if actual < declared * 0.98 - 0.05:
        detail = f"it declares {declared:.1f} s but holds {actual:.1f} s"
        raise AudioError(f"{name} is truncated: {detail}", problem="truncated", name=name, detail=detail)


def _check_wav_header(path: Path) -> None:
    """A WAV whose data chunk promises more bytes than the file holds was cut off.

    FFmpeg and libsndfile silently read what is there, so the header is checked here.
    Streaming writers leave the size as 0 or 0xFFFFFFFF; those are accepted.
    """
    with path.open("rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
            return
        if head[:4] == b"RF64":
            return
        size = path.stat().st_size
        while True:
            chunk = f.read(8)
            if len(chunk) < 8:
                detail = "its WAV header has no data chunk"
                raise AudioError(
                    f"{path.name} is truncated: {detail}", problem="truncated", name=path.name, detail=detail
                )
            tag, length = chunk[:4], struct.unpack("<I", chunk[4:])[0]
            if tag == b"data":
                available = size - f.tell()
                if length not in (0, 0xFFFFFFFF) and length > available:
                    detail = f"its header promises {length} bytes of audio but only {available} are present"
                    raise AudioError(
                        f"{path.name} is truncated: {detail}",
                        problem="truncated",
                        name=path.name,
                        detail=detail,
                    )
                return
            f.seek(length + (length & 1), 1)


def _reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return str(text).split(":")[0].strip().rstrip(".").lower() or type(exc).__name__


class Resampler:
    """Brings live blocks at any rate to 16 kHz through one FFmpeg resampler.

    One stateful resampler for the whole stream keeps block edges seamless; a fresh
    one per block would click at every edge. Used for microphones that cannot open at
    16 kHz; files go through `load_audio`.
    """

    def __init__(self, rate: int, channels: int) -> None:
        import av

        self.rate = rate
        self.channels = min(channels, 2)
        self._layout = "mono" if self.channels == 1 else "stereo"
        self._resampler = av.AudioResampler(format="fltp", layout=self._layout, rate=SAMPLE_RATE)

    def __call__(self, block: np.ndarray) -> np.ndarray:
        """Resample a (samples, channels) float32 block; output length varies by a sample."""
        import av

        if self.rate == SAMPLE_RATE:
            return block
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(block[:, : self.channels].T, dtype=np.float32),
            format="fltp",
            layout=self._layout,
        )
        frame.sample_rate = self.rate
        out = [f.to_ndarray() for f in self._resampler.resample(frame)]
        if not out:
            return np.zeros((0, self.channels), np.float32)
        return np.ascontiguousarray(np.concatenate(out, axis=1).T)
