"""A numpy forward of all-MiniLM-L6-v2 (six-layer BERT, mean pooling, L2 norm), reading the f16
weights Guildhall ships (models/minilm/encoder.safetensors) widened to f32 — the same numbers
the Rust encoder (domain::moderation::context) computes with, so the head trained on these
embeddings scores the same there. No torch needed."""
import json
import math

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MAX_TOKENS = 128
HEADS = 12
EPS = 1e-12


try:  # scipy's erf is exact to float precision and fast; math.erf is the fallback
    from scipy.special import erf as _erf
except ImportError:
    def _erf(x):
        return np.vectorize(math.erf, otypes=[np.float32])(x)


def _layer_norm(x, w, b):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * w + b


class Encoder:
    def __init__(self, safetensors_path, tokenizer_path):
        self.w = {k: v.astype(np.float32) for k, v in load_file(safetensors_path).items()}
        self.tokenizer = Tokenizer.from_file(tokenizer_path)
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.layers = sum(1 for k in self.w if k.endswith(".output.dense.weight")
                          and k.startswith("encoder.layer.") and ".attention." not in k)

    def _linear(self, x, name):
        return x @ self.w[f"{name}.weight"].T + self.w[f"{name}.bias"]

    def embed(self, text):
        ids = self.tokenizer.encode(text).ids[:MAX_TOKENS]
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][: len(ids)]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        n, hidden = x.shape
        size = hidden // HEADS
        for i in range(self.layers):
            p = f"encoder.layer.{i}"
            split = lambda t: t.reshape(n, HEADS, size).transpose(1, 0, 2)
            q = split(self._linear(x, f"{p}.attention.self.query"))
            k = split(self._linear(x, f"{p}.attention.self.key"))
            v = split(self._linear(x, f"{p}.attention.self.value"))
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(size)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, hidden)
            a = _layer_norm(self._linear(context, f"{p}.attention.output.dense") + x,
                            w[f"{p}.attention.output.LayerNorm.weight"],
                            w[f"{p}.attention.output.LayerNorm.bias"])
            h = self._linear(a, f"{p}.intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))
            x = _layer_norm(self._linear(h, f"{p}.output.dense") + a,
                            w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"])
        mean = x.mean(0)
        return (mean / max(np.linalg.norm(mean), 1e-12)).astype(np.float32)
