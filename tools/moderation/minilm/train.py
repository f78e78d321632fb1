"""Trains the head over sentence embeddings and writes models/minilm/head.json.

Every sentence is first turned into what the server's model reads (`model_input`, through the
Rust example so both sides agree), embedded with encoder.py (cached by text), then a
multinomial logistic regression is compared with a one-hidden-layer MLP by 5-fold
cross-validation on OUR corpus rows (external rows always train, with a lower weight).
"""
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.neural_network import MLPClassifier

import data
import encoder

ROOT = data.ROOT
CACHE = Path(os.environ.get("MODERATION_CACHE", "/root/.cache/guildhall/moderation-downloads"))
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", "/root/.cache/guildhall/target"))
EXTERNAL_WEIGHT = float(os.environ.get("EXTERNAL_WEIGHT", "0.3"))


def model_inputs(texts):
    binary = TARGET / "debug/examples/model_input"
    if not binary.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "guildhall-domain", "--example", "model_input"],
                       cwd=ROOT, check=True)
    lines = "\n".join(t.replace("\n", "\\n") for t in texts) + "\n"
    out = subprocess.run([str(binary)], input=lines, capture_output=True, text=True, check=True)
    result = out.stdout.split("\n")[: len(texts)]
    assert len(result) == len(texts)
    return result


def embed_all(texts, enc):
    path = CACHE / "embeddings.npz"
    cache = dict(np.load(path)) if path.exists() else {}
    keys = [hashlib.sha256(t.encode()).hexdigest()[:24] for t in texts]
    for i, (key, text) in enumerate(zip(keys, texts)):
        if key not in cache:
            cache[key] = enc.embed(text)
        if i % 250 == 0:
            print(f"  embedded {i}/{len(texts)}", file=sys.stderr, flush=True)
    np.savez(path, **cache)
    return np.stack([cache[k] for k in keys])


def figures(y, p):
    """Harmful recall where <=2% of clean/informal score harmful; explicit recall at <=1%."""
    harmless = np.isin(y, [0, 1])
    out = {}
    for name, cols, fp in (("hurtful", [2, 3, 5], 0.02), ("explicit", [4], 0.01)):
        score = p[:, cols].sum(1)
        threshold = np.quantile(score[harmless], 1 - fp)
        positive = np.isin(y, cols)
        out[name] = (float((score[positive] > threshold).mean()), float(threshold))
    out["per_class_recall"] = {data.CLASSES[c]: float((p[y == c].argmax(1) == c).mean())
                               for c in range(6) if (y == c).any()}
    return out


def heads():
    return {
        "logistic": lambda: LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced"),
        "mlp": lambda: MLPClassifier(hidden_layer_sizes=(64,), alpha=1e-3, max_iter=600,
                                     early_stopping=False, random_state=12),
    }


def fit(make, x, y, w):
    model = make()
    try:
        model.fit(x, y, sample_weight=w)
    except TypeError:  # older MLPClassifier without sample weights: repeat instead
        reps = np.maximum(1, np.round(w / w.min())).astype(int)
        model.fit(np.repeat(x, reps, 0), np.repeat(y, reps))
    return model


def export(model, kind):
    if kind == "logistic":
        layers = [{"weight": model.coef_.tolist(), "bias": model.intercept_.tolist(),
                   "activation": "softmax"}]
    else:
        layers = [{"weight": model.coefs_[0].T.tolist(), "bias": model.intercepts_[0].tolist(),
                   "activation": "relu"},
                  {"weight": model.coefs_[1].T.tolist(), "bias": model.intercepts_[1].tolist(),
                   "activation": "softmax"}]
    round6 = lambda v: [round6(x) for x in v] if isinstance(v, list) else float(f"{v:.6g}")
    for layer in layers:
        layer["weight"], layer["bias"] = round6(layer["weight"]), round6(layer["bias"])
    return {"format": "guildhall-context-head/1", "classes": data.CLASSES,
            "input": "L2-normalised mean-pooled all-MiniLM-L6-v2 embedding of model_input(text)",
            "layers": layers}


def main(unpacked):
    ours = list(data.corpus())
    ext = list(data.external(unpacked))
    texts = model_inputs([t for _, t in ours] + [t for _, t in ext])
    enc = encoder.Encoder(str(ROOT / "models/minilm/encoder.safetensors"),
                          str(ROOT / "models/minilm/tokenizer.json"))
    x = embed_all(texts, enc)
    y = np.array([data.CLASSES.index(l) for l, _ in ours + ext])
    w = np.array([1.0] * len(ours) + [EXTERNAL_WEIGHT] * len(ext))
    n = len(ours)
    report = {}
    for kind, make in heads().items():
        oof = np.zeros((n, 6))
        folds = StratifiedKFold(5, shuffle=True, random_state=12)
        for train_idx, test_idx in folds.split(x[:n], y[:n]):
            idx = np.concatenate([train_idx, np.arange(n, len(y))])
            model = fit(make, x[idx], y[idx], w[idx])
            proba = np.zeros((len(test_idx), 6))
            proba[:, model.classes_] = model.predict_proba(x[test_idx])
            oof[test_idx] = proba
        report[kind] = figures(y[:n], oof)
        np.save(CACHE / f"oof-{kind}.npy", oof)
        print(kind, json.dumps(report[kind]))
    best = max(report, key=lambda k: report[k]["hurtful"][0] + report[k]["explicit"][0])
    model = fit(heads()[best], x, y, w)
    head = export(model, best)
    (ROOT / "models/minilm/head.json").write_text(json.dumps(head, separators=(",", ":")))
    (CACHE / "cv-report.json").write_text(json.dumps({"chosen": best, **report}, indent=1))
    print("chosen:", best)


if __name__ == "__main__":
    main(sys.argv[1])
