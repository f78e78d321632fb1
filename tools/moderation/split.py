#!/usr/bin/env python3
"""Splits the labelled moderation corpus ONCE into a training part and a held-out test part.

Run once (2026-12, issue 12); its outputs `crates/domain/tests/corpus/{train,test}.tsv` are the
files of record from then on, and new sentences are appended to one of them by hand. Tuning (the
head's training, the thresholds in `domain::moderation`) reads only `train.tsv`; `test.tsv` is what
`bench/moderation.sh` and the corpus test report.

Sources, all written for Guildhall: the first corpus (moderation.tsv), a set written blind to the
checker's word lists (held_out.tsv: all of it goes to test), and two sets written for issue 12
(written/clean.tsv, written/harmful.tsv). A sentence goes to test when the first byte of the
SHA-256 of its text is below 64 (a quarter), so the split does not depend on file order and
adding a source never moves a sentence from one part to the other. A source not written yet is
skipped.
"""
import hashlib
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "crates/domain/tests/corpus"
LABELS = {"clean", "informal", "rude", "demeaning", "explicit", "threat"}
HEADER = "label\ttag\ttext\n"


def rows(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("label\t"):
            continue
        label, tag, text = line.split("\t", 2)
        if label == "clean" and tag == "informal":
            label = "informal"
        if label not in LABELS:
            sys.exit(f"{path.name}: unknown label {label!r} in {line!r}")
        yield label, tag or "-", text.strip()


def main():
    train, test, seen = [], [], set()
    sources = [("held_out.tsv", True), ("moderation.tsv", False),
               ("written/clean.tsv", False), ("written/harmful.tsv", False)]
    for name, all_to_test in sources:
        if not (CORPUS / name).exists():
            print(f"skipping {name}: not written yet")
            continue
        for label, tag, text in rows(CORPUS / name):
            key = text.casefold()
            if key in seen:
                continue
            seen.add(key)
            to_test = all_to_test or hashlib.sha256(text.encode()).digest()[0] < 64
            (test if to_test else train).append((label, tag, text))
    notes = {
        "train.tsv": "Training part: the head and the thresholds are tuned on these sentences only.",
        "test.tsv": "Held-out part: never read by tuning; bench/moderation.sh reports it.",
    }
    for name, part in (("train.tsv", train), ("test.tsv", test)):
        with open(CORPUS / name, "w", encoding="utf-8") as out:
            out.write(f"# {notes[name]}\n# Made once by tools/moderation/split.py; columns: "
                      "label (clean|informal|rude|demeaning|explicit|threat), tag, text "
                      "(\\n = newline).\n")
            out.write(HEADER)
            for label, tag, text in sorted(part, key=lambda r: (r[0], r[1])):
                out.write(f"{label}\t{tag}\t{text}\n")
        counts = {}
        for label, _, _ in part:
            counts[label] = counts.get(label, 0) + 1
        print(name, len(part), dict(sorted(counts.items())))


if __name__ == "__main__":
    main()
