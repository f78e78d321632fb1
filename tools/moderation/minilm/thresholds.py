"""Figures for choosing the server's thresholds (crates/domain/src/moderation/conclude.rs) from
out-of-fold probabilities: training sentences only, each scored by a model that never saw it.
The held-out set is for judging, not for choosing. Reads the shipped (fine-tuned) model's
finetuned/oof.tsv in the cache, or train.py's oof.tsv when there is none.

For each candidate threshold: how many harmless sentences (clean, informal; benign explicit-word
traps apart) and how many harmful ones of each kind score at or above it.
"""
import csv
import os
from pathlib import Path

CACHE = Path(os.environ.get("MODERATION_CACHE", "/root/.cache/guildhall/moderation-downloads"))
HURTFUL = ("rude", "demeaning", "threat")


def rows():
    tuned = CACHE / "finetuned" / "oof.tsv"
    with open(tuned if tuned.exists() else CACHE / "oof.tsv", encoding="utf-8") as f:
        lines = (line for line in f if not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            p = {k[2:]: float(v) for k, v in row.items() if k.startswith("p_")}
            yield row["label"], row["tag"], p, row["text"]


def share(selected, total):
    return f"{selected:4d}/{total:<4d} {selected / max(total, 1):5.3f}"


def table(name, score, positive, data, candidates):
    harmless = [r for r in data if r[0] in ("clean", "informal")]
    traps = [r for r in harmless if r[1] == "trap"]
    wanted = [r for r in data if r[0] in positive]
    print(f"\n{name}: threshold | harmless flagged | benign traps flagged | {'/'.join(positive)} caught")
    for t in candidates:
        above = lambda rs: sum(score(r[2]) >= t for r in rs)
        print(f"  {t:4.2f} | {share(above(harmless), len(harmless))} | "
              f"{share(above(traps), len(traps))} | {share(above(wanted), len(wanted))}")


def main():
    data = list(rows())
    steps = [x / 20 for x in range(2, 20)]
    table("hurtful (rude+demeaning+threat)", lambda p: sum(p[c] for c in HURTFUL), HURTFUL, data, steps)
    table("explicit", lambda p: p["explicit"], ("explicit",), data, steps)
    table("hurtful+explicit (harmless below)", lambda p: sum(p[c] for c in HURTFUL) + p["explicit"],
          HURTFUL + ("explicit",), data, [0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5])
    print("\nharmless sentences the model reads as most explicit:")
    harmless = [r for r in data if r[0] in ("clean", "informal")]
    for label, tag, p, text in sorted(harmless, key=lambda r: -r[2]["explicit"])[:12]:
        print(f"  {p['explicit']:.3f} {tag:10s} {text[:90]}")
    print("\nharmless sentences the model reads as most hurtful:")
    for label, tag, p, text in sorted(harmless, key=lambda r: -sum(r[2][c] for c in HURTFUL))[:12]:
        print(f"  {sum(p[c] for c in HURTFUL):.3f} {tag:10s} {text[:90]}")


if __name__ == "__main__":
    main()
