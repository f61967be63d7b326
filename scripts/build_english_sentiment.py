"""Build `assets/models/review-sentiment-en.json.gz`, the shipped English sentiment model.

Run from the project root with the project installed:

    python scripts/build_english_sentiment.py            # fetches the sdist from PyPI
    python scripts/build_english_sentiment.py --sdist vaderSentiment-3.3.2.tar.gz

The training sentences are the human-rated ground truth of the VADER paper
(Hutto & Gilbert, ICWSM 2014), shipped under the MIT licence inside the
`vaderSentiment` 3.3.2 source distribution on PyPI as
`additional_resources/hutto_ICWSM_2014.tar.gz`; the installed wheel leaves
them out, which is why the model is built here rather than on each machine.
The sdist's SHA-256 is checked before anything is read. The output holds
feature weights and 32-bit digests of each sentence's opening, not the
sentences; the same sdist always gives the same file.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from agentdesk.nlp.review_data import RATED_MARGIN, english_model_path, overlap_digest, rated_sentences
from agentdesk.nlp.review_model import train

SDIST = "vaderSentiment-3.3.2.tar.gz"
SDIST_SHA256 = "5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9"
INNER = "vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz"
SETS = ("tweets", "movieReviewSnippets", "amazonReviewSnippets", "nytEditorialSnippets")


def fetch_sdist(folder: Path) -> Path:
    """Download the pinned sdist from PyPI into `folder` with pip."""
    pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:"]
    subprocess.run([*pip, "--dest", str(folder), "vaderSentiment==3.3.2"], check=True)
    return folder / SDIST


def rated_lines(sdist: Path) -> list[str]:
    """Every line of the four `*_GroundTruth.txt` files inside the sdist."""
    data = sdist.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SDIST_SHA256:
        raise SystemExit(f"{sdist}: SHA-256 {digest} is not the pinned {SDIST_SHA256}")
    with tarfile.open(fileobj=io.BytesIO(data)) as outer:
        inner_file = outer.extractfile(INNER)
        if inner_file is None:
            raise SystemExit(f"{sdist} has no {INNER}")
        inner_bytes = inner_file.read()
    lines: list[str] = []
    with tarfile.open(fileobj=io.BytesIO(inner_bytes)) as inner:
        for name in SETS:
            member = inner.extractfile(f"hutto_ICWSM_2014/{name}_GroundTruth.txt")
            if member is None:
                raise SystemExit(f"{INNER} has no {name}_GroundTruth.txt")
            lines += member.read().decode("utf-8", errors="replace").splitlines()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdist", type=Path, help=f"a local {SDIST} instead of fetching it")
    parser.add_argument("--out", type=Path, default=english_model_path())
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sdist = args.sdist or fetch_sdist(Path(tmp))
        negative, positive = rated_sentences(rated_lines(sdist))
    model = train(negative, positive, language="en")
    payload = {
        "source": {
            "sdist": SDIST,
            "sha256": SDIST_SHA256,
            "files": [f"{name}_GroundTruth.txt" for name in SETS],
            "labels": f"mean rating <= -{RATED_MARGIN} negative, >= +{RATED_MARGIN} positive",
            "licence": "MIT (C.J. Hutto); cite Hutto & Gilbert, ICWSM 2014",
        },
        "model": model.to_dict(),
        "trained_keys": sorted({overlap_digest(t) for t in (*negative, *positive)}),
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(
        f"{args.out}: {len(negative)} negative and {len(positive)} positive sentences, "
        f"{len(model.weights)} features, {args.out.stat().st_size / 1e6:.2f} MB"
    )


if __name__ == "__main__":
    main()
