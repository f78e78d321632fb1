"""A numpy forward of all-MiniLM-L6-v2 (six-layer BERT, mean pooling, L2 norm), no torch.

It reads the f16 weights Guildhall ships (models/minilm/encoder.safetensors) widened to f32,
the same numbers the Rust encoder computes with, so a head trained on these embeddings scores
the same there. Also home of the two steps every script shares: `model_inputs` (what the server
embeds, computed by the Rust code itself so the two sides cannot drift) and a text-hash cache.

`python encoder.py` checks the reference vector of "This is an example sentence".
"""
import hashlib
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf  # exact erf; math.erf per element would be ~100x slower
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parents[3]
MODEL = ROOT / "models/minilm"
CACHE = Path(os.environ.get("MODERATION_CACHE", "/root/.cache/guildhall/moderation-downloads"))
MAX_TOKENS = 128  # the server truncates here too; sentences past it are rare in chat
HEADS = 12
EPS = 1e-12
REFERENCE = ("This is an example sentence", [0.06766, 0.06350, 0.04871])


def _layer_norm(x, w, b):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * w + b


class Encoder:
    def __init__(self, weights=MODEL / "encoder.safetensors", tokenizer=MODEL / "tokenizer.json",
                 dtype=np.float32):
        # f16 -> f32 is exact, so this is what candle's VarBuilder(F32) sees.
        self.w = {k: v.astype(np.float32).astype(dtype) for k, v in load_file(str(weights)).items()}
        self.dtype = dtype
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        # The shipped tokenizer.json pads to a fixed 128; one unpadded sentence needs no mask.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.layers = len({k.split(".")[2] for k in self.w if k.startswith("encoder.layer.")})

    def _linear(self, x, name):
        return x @ self.w[f"{name}.weight"].T + self.w[f"{name}.bias"]

    def embed(self, text):
        ids = self.tokenizer.encode(text).ids  # token_type_ids are all 0 for one sentence
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][: len(ids)]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        n, hidden = x.shape
        size = hidden // HEADS
        split = lambda t: t.reshape(n, HEADS, size).transpose(1, 0, 2)
        for i in range(self.layers):
            p = f"encoder.layer.{i}"
            q = split(self._linear(x, f"{p}.attention.self.query"))
            k = split(self._linear(x, f"{p}.attention.self.key"))
            v = split(self._linear(x, f"{p}.attention.self.value"))
            scores = q @ k.transpose(0, 2, 1) / self.dtype(math.sqrt(size))
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, hidden)
            a = _layer_norm(self._linear(context, f"{p}.attention.output.dense") + x,
                            w[f"{p}.attention.output.LayerNorm.weight"],
                            w[f"{p}.attention.output.LayerNorm.bias"])
            h = self._linear(a, f"{p}.intermediate.dense")
            h = h * self.dtype(0.5) * (1 + erf(h / self.dtype(math.sqrt(2.0))))  # erf GELU
            x = _layer_norm(self._linear(h, f"{p}.output.dense") + a,
                            w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"])
        mean = x.mean(0)
        return mean / max(np.linalg.norm(mean), 1e-12)


def model_inputs(texts):
    """The server's model_input(text) for each text, through the Rust example (one line each;
    a newline inside a text travels as the two characters backslash-n)."""
    lines = "".join(t.replace("\n", "\\n") + "\n" for t in texts)
    env = dict(os.environ, CARGO_TARGET_DIR=os.environ.get("CARGO_TARGET_DIR",
                                                           "/root/.cache/guildhall/target"))
    out = subprocess.run(["cargo", "run", "-q", "-p", "guildhall-domain", "--example", "model_input"],
                         cwd=ROOT, env=env, input=lines, capture_output=True, text=True, check=True)
    result = out.stdout.split("\n")[: len(texts)]
    assert len(result) == len(texts) and out.stdout.count("\n") == len(texts), "line count drifted"
    return result


def embed_cached(inputs, encoder=None):
    """Embeddings of model inputs, cached by text hash in a file named after the weights' hash,
    so new weights never reuse old vectors."""
    weights = hashlib.sha256((MODEL / "encoder.safetensors").read_bytes()).hexdigest()[:12]
    path = CACHE / f"embeddings-{weights}.npz"
    cache = dict(np.load(path)) if path.exists() else {}
    keys = [hashlib.sha256(t.encode()).hexdigest()[:24] for t in inputs]
    missing = [(k, t) for k, t in dict(zip(keys, inputs)).items() if k not in cache]
    if missing:
        encoder = encoder or Encoder()
        for i, (key, text) in enumerate(missing):
            cache[key] = encoder.embed(text).astype(np.float32)
            if i % 500 == 0:
                print(f"  embedding {i}/{len(missing)}", file=sys.stderr, flush=True)
        np.savez(path, **cache)
    return np.stack([cache[k] for k in keys])


if __name__ == "__main__":
    text, expected = REFERENCE
    got = Encoder().embed(text)
    print(text, "->", [round(float(v), 5) for v in got[:8]])
    if not np.allclose(got[:3], expected, atol=1e-3):
        sys.exit(f"reference vector mismatch: {got[:3]} vs {expected}")
