"""Fine-tunes all six transformer layers of all-MiniLM-L6-v2 together with the 6-class softmax head
(PyTorch, CPU), and compares it by stratified CV on OUR corpus rows with the frozen encoder +
logistic head that train.py ships.

The model is the one the server runs: model_input(text) (through the built Rust example), the
shipped tokenizer (truncation at 128 tokens), six BERT layers, mean pooling, L2 norm, one linear
softmax layer. The embeddings (word, position, token type, their LayerNorm) stay frozen, so they
are written back bit for bit. Training batches are padded with an attention mask, which is exact:
inference and the out-of-fold probabilities equal what one unpadded sentence gives (checked below
against encoder.py's numpy forward of the written f16 file, the one that mirrors the Rust side).

External rows (data.external) can sit in the training folds at a low weight, as in train.py; to
keep the CPU time down only `--external-sample` of them are drawn each epoch, their weight scaled
up so that the expected total weight is that of all of them at `--external-weight`.

Writes to OUT (default /root/.cache/guildhall/ft/candidate): encoder.safetensors (float16, the
tensor names and shapes of models/minilm/encoder.safetensors), head.json
(guildhall-context-head/1) and oof.tsv (the format train.py writes, so thresholds.py reads it with
MODERATION_CACHE=OUT), plus cv-report.json. Never touches models/minilm/.
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import load_file, save_file
from sklearn.model_selection import StratifiedKFold
from tokenizers import Tokenizer
from torch import nn

import data
from encoder import MAX_TOKENS, MODEL, Encoder, embed_cached
from encoder import model_inputs as model_inputs_cargo
from train import HARMFUL, HARMLESS, EXPLICIT, figures, fit, export

HIDDEN, HEADS, EPS = 384, 12, 1e-12
# The example the brief's workflow has already built; running it directly avoids `cargo run`.
MODEL_INPUT_BIN = Path(os.environ.get("MODEL_INPUT_BIN",
                                      "/root/.cache/guildhall/target/debug/examples/model_input"))
OUT = Path(os.environ.get("FINETUNE_OUT", "/root/.cache/guildhall/ft/candidate"))
# The head's logits are SCALE * (W e) + b on the unit-length embedding: with Adam's step size a
# plain W would stay too small for cosine-sized inputs. Exported as W * SCALE.
SCALE = 20.0


def model_inputs(texts):
    if not MODEL_INPUT_BIN.exists():
        return model_inputs_cargo(texts)
    lines = "".join(t.replace("\n", "\\n") + "\n" for t in texts)
    out = subprocess.run([str(MODEL_INPUT_BIN)], input=lines, capture_output=True, text=True,
                         check=True)
    result = out.stdout.split("\n")[: len(texts)]
    assert len(result) == len(texts) and out.stdout.count("\n") == len(texts), "line count drifted"
    return result


# ---- the model: BERT with the safetensors names, so state_dict() keys are the file's keys ----

class Attention(nn.Module):
    def __init__(self, dropout):
        super().__init__()
        self.add_module("self", nn.Module())
        for name in ("query", "key", "value"):
            getattr(self, "self").add_module(name, nn.Linear(HIDDEN, HIDDEN))
        self.output = nn.Module()
        self.output.dense = nn.Linear(HIDDEN, HIDDEN)
        self.output.LayerNorm = nn.LayerNorm(HIDDEN, eps=EPS)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, bias):
        b, n, _ = x.shape
        s = getattr(self, "self")
        split = lambda t: t.view(b, n, HEADS, HIDDEN // HEADS).transpose(1, 2)
        q, k, v = split(s.query(x)), split(s.key(x)), split(s.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(HIDDEN // HEADS) + bias
        context = (self.drop(scores.softmax(-1)) @ v).transpose(1, 2).reshape(b, n, HIDDEN)
        return self.output.LayerNorm(self.drop(self.output.dense(context)) + x)


class Layer(nn.Module):
    def __init__(self, dropout):
        super().__init__()
        self.attention = Attention(dropout)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(HIDDEN, 4 * HIDDEN)
        self.output = nn.Module()
        self.output.dense = nn.Linear(4 * HIDDEN, HIDDEN)
        self.output.LayerNorm = nn.LayerNorm(HIDDEN, eps=EPS)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, bias):
        a = self.attention(x, bias)
        h = nn.functional.gelu(self.intermediate.dense(a))  # exact erf GELU, as encoder.py
        return self.output.LayerNorm(self.drop(self.output.dense(h)) + a)


class MiniLM(nn.Module):
    def __init__(self, weights, layers=6, dropout=0.1):
        super().__init__()
        self.embeddings = nn.Module()
        e = self.embeddings
        e.word_embeddings = nn.Embedding(*weights["embeddings.word_embeddings.weight"].shape)
        e.position_embeddings = nn.Embedding(*weights["embeddings.position_embeddings.weight"].shape)
        e.token_type_embeddings = nn.Embedding(*weights["embeddings.token_type_embeddings.weight"].shape)
        e.LayerNorm = nn.LayerNorm(HIDDEN, eps=EPS)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList([Layer(dropout) for _ in range(layers)])
        self.drop = nn.Dropout(dropout)
        missing = set(self.state_dict()) ^ set(weights)
        assert not missing, f"names differ from the file: {sorted(missing)[:5]}"
        self.load_state_dict({k: torch.from_numpy(v.astype(np.float32)) for k, v in weights.items()})
        for p in self.embeddings.parameters():
            p.requires_grad_(False)

    def forward(self, ids, mask):
        e = self.embeddings
        n = ids.shape[1]
        x = (e.word_embeddings(ids) + e.position_embeddings.weight[:n]
             + e.token_type_embeddings.weight[0])
        x = self.drop(e.LayerNorm(x))
        bias = ((1.0 - mask[:, None, None, :]) * -1e9)  # padded keys get no attention
        for layer in self.encoder.layer:
            x = layer(x, bias)
        m = mask[..., None]
        mean = (x * m).sum(1) / m.sum(1)  # padded positions left out of the mean
        return mean / mean.norm(dim=-1, keepdim=True).clamp_min(1e-12)


class Classifier(nn.Module):
    def __init__(self, weights, dropout=0.1):
        super().__init__()
        self.encoder = MiniLM(weights, dropout=dropout)
        self.head = nn.Linear(HIDDEN, len(data.CLASSES))
        nn.init.normal_(self.head.weight, std=0.01)
        nn.init.zeros_(self.head.bias)

    def forward(self, ids, mask):
        return SCALE * (self.encoder(ids, mask) @ self.head.weight.T) + self.head.bias


# ---- data, training, inference ----

def tokenizer():
    t = Tokenizer.from_file(str(MODEL / "tokenizer.json"))
    t.no_padding()
    t.enable_truncation(MAX_TOKENS)
    return t


def batch(token_ids):
    n = max(len(t) for t in token_ids)
    ids = torch.zeros(len(token_ids), n, dtype=torch.long)
    mask = torch.zeros(len(token_ids), n)
    for i, t in enumerate(token_ids):
        ids[i, : len(t)] = torch.tensor(t)
        mask[i, : len(t)] = 1
    return ids, mask


def class_weights(y, w):
    # train.py's balancing: each class's weighted rows add up to the same total.
    per_class = np.bincount(y, weights=w, minlength=6)
    return w.sum() / (6 * np.maximum(per_class, 1e-9))


def train_model(weights, toks, y, ours_idx, ext_idx, args, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Classifier(weights, dropout=args.dropout)
    k = min(args.external_sample, len(ext_idx)) if args.external_weight > 0 else 0
    ext_w = args.external_weight * len(ext_idx) / max(k, 1)
    # Balanced over the expected weights of an epoch (ours at 1, external scaled as sampled).
    cw = class_weights(np.concatenate([y[ours_idx], y[ext_idx]]),
                       np.concatenate([np.ones(len(ours_idx)),
                                       np.full(len(ext_idx), args.external_weight)]))
    steps_per_epoch = math.ceil((len(ours_idx) + k) / args.batch)
    total = steps_per_epoch * args.epochs
    warmup = max(1, int(0.1 * total))
    opt = torch.optim.AdamW([
        {"params": [p for p in model.encoder.parameters() if p.requires_grad], "lr": args.lr},
        {"params": model.head.parameters(), "lr": args.head_lr, "weight_decay": 0.0}],
        weight_decay=0.01)
    base = [g["lr"] for g in opt.param_groups]
    step = 0
    cw_t = torch.tensor(cw, dtype=torch.float32)
    for epoch in range(args.epochs):
        model.train()
        idx = np.concatenate([ours_idx, rng.choice(ext_idx, k, replace=False) if k else []]).astype(int)
        row_w = np.where(np.isin(idx, ours_idx), 1.0, ext_w)
        order = rng.permutation(len(idx))
        losses = []
        for s in range(0, len(order), args.batch):
            sel = order[s: s + args.batch]
            ids, mask = batch([toks[i] for i in idx[sel]])
            target = torch.tensor(y[idx[sel]])
            w = torch.tensor(row_w[sel], dtype=torch.float32) * cw_t[target]
            logits = model(ids, mask)
            loss = (nn.functional.cross_entropy(logits, target, reduction="none") * w).mean()
            scale = min(1.0, (step + 1) / warmup) if step < warmup else \
                max(0.0, (total - step) / max(1, total - warmup))
            for g, lr in zip(opt.param_groups, base):
                g["lr"] = lr * scale
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            losses.append(loss.item())
        print(f"    epoch {epoch + 1}: loss {np.mean(losses):.4f}", flush=True)
    return model


@torch.no_grad()
def predict(model, toks, idx, size=64):
    model.eval()
    out = np.zeros((len(idx), 6))
    order = sorted(range(len(idx)), key=lambda i: len(toks[idx[i]]))  # little padding
    for s in range(0, len(order), size):
        sel = order[s: s + size]
        ids, mask = batch([toks[idx[i]] for i in sel])
        out[sel] = model(ids, mask).softmax(-1).double().numpy()
    return out


# ---- export and checks ----

def export_encoder(model, original, path):
    state = model.encoder.state_dict()
    tensors = {}
    for name, v in original.items():
        if name.startswith("embeddings."):
            tensors[name] = v  # frozen: the shipped f16 values, bit for bit
        else:
            tensors[name] = state[name].detach().numpy().astype(np.float16)
        assert tensors[name].shape == v.shape and tensors[name].dtype == v.dtype
    save_file(tensors, str(path))
    path.chmod(0o644)


def export_head(model):
    w = model.head.weight.detach().double().numpy() * SCALE
    b = model.head.bias.detach().double().numpy()

    class Linear:  # what train.export reads from a sklearn LogisticRegression
        coef_, intercept_ = w, b
    return export(Linear, "logistic")


def head_probs(head, e):
    layer = head["layers"][0]
    z = np.asarray(layer["weight"]) @ e + np.asarray(layer["bias"])
    z = np.exp(z - z.max())
    return z / z.sum()


def round_trip(model, out, inputs):
    """The written f16 file + head.json through encoder.py's numpy forward (one unpadded sentence,
    no mask: the Rust path) against the f32 torch model batched with a mask."""
    from fetch import COSINE_SENTENCES
    texts = model_inputs(COSINE_SENTENCES)
    tok = tokenizer()
    toks = [tok.encode(t).ids for t in texts]
    torch_p = predict(model, toks, list(range(len(toks))))
    enc = Encoder(weights=out / "encoder.safetensors")
    head = json.loads((out / "head.json").read_text())
    numpy_p = np.stack([head_probs(head, enc.embed(t)) for t in texts])
    return float(np.abs(torch_p - numpy_p).max())


def frozen_baseline(rows, n, inputs, y, seed, folds):
    """train.py's shipped recipe (logistic C=4, external weight 0.03) and the ours-only variant,
    on the same folds."""
    x = embed_cached(inputs)
    result = {}
    for ext_w in (0.03, 0.0):
        oof = np.zeros((n, 6))
        for tr, te in StratifiedKFold(folds, shuffle=True, random_state=seed).split(x[:n], y[:n]):
            idx = np.concatenate([tr, np.arange(n, len(y))])
            model = fit("logistic", {"C": 4.0}, x[idx], y[idx], np.where(idx < n, 1.0, ext_w))
            oof[te[:, None], model.classes_] = model.predict_proba(x[te])
        result[f"frozen_logistic_ext{ext_w}"] = figures(y[:n], oof)
    return result


def brief(f):
    return {"harmful@2%": round(f["harmful_recall_at_2pct"], 3),
            "explicit@1%": round(f["explicit_recall_at_1pct"], 3),
            **{k: round(v, 3) for k, v in f["harmful_recall_by_class"].items()},
            "argmax": {k: round(v, 3) for k, v in f["per_class_recall"].items()},
            "harmless_flagged_argmax": round(f["harmless_flagged_by_argmax"], 3)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--external-weight", type=float, default=0.03)
    ap.add_argument("--external-sample", type=int, default=400)
    ap.add_argument("--seed", type=int, default=13)  # train.py's reporting split
    ap.add_argument("--no-cv", action="store_true", help="only the final fit")
    ap.add_argument("--no-final", action="store_true", help="only the CV")
    args = ap.parse_args()
    torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "2")))
    random.seed(args.seed)
    np.random.seed(args.seed)

    ours = list(data.corpus())
    ext = list(data.external(t for _, _, t in ours))
    rows = ours + ext
    n = len(ours)
    inputs = model_inputs([t for _, _, t in rows])
    tok = tokenizer()
    toks = [e.ids for e in tok.encode_batch(inputs)]
    y = np.array([data.CLASSES.index(l) for l, _, _ in rows])
    original = load_file(str(MODEL / "encoder.safetensors"))
    ours_all, ext_all = np.arange(n), np.arange(n, len(rows))
    OUT.mkdir(parents=True, exist_ok=True)
    report = {"args": vars(args), "rows_ours": n, "rows_external": len(ext)}
    print(f"{n} of our rows, {len(ext)} external; {vars(args)}", flush=True)

    if not args.no_cv:
        started = time.time()
        oof = np.zeros((n, 6))
        splits = StratifiedKFold(args.folds, shuffle=True, random_state=args.seed).split(ours_all, y[:n])
        for fold, (tr, te) in enumerate(splits):
            t0 = time.time()
            model = train_model(original, toks, y, tr, ext_all, args, seed=args.seed + fold)
            oof[te] = predict(model, toks, te)
            f = figures(y[te], oof[te])
            print(f"  fold {fold}: harmful {f['harmful_recall_at_2pct']:.3f} explicit "
                  f"{f['explicit_recall_at_1pct']:.3f} ({time.time() - t0:.0f}s)", flush=True)
        report["cv_seconds"] = round(time.time() - started)
        report["finetuned"] = figures(y[:n], oof)
        report.update(frozen_baseline(rows, n, inputs, y, args.seed, args.folds))
        for key in [k for k in report if k == "finetuned" or k.startswith("frozen")]:
            print(f"{key:26s}", json.dumps(brief(report[key])), flush=True)
        np.save(OUT / "oof.npy", oof)
        with open(OUT / "oof.tsv", "w", encoding="utf-8") as out:
            out.write(f"# out-of-fold probabilities of the fine-tuned encoder + softmax head, "
                      f"{args.folds}-fold CV seed {args.seed}\n")
            out.write("label\ttag\t" + "\t".join(f"p_{c}" for c in data.CLASSES) + "\ttext\n")
            for (label, tag, text), p in zip(ours, oof):
                out.write(f"{label}\t{tag}\t" + "\t".join(f"{v:.5f}" for v in p)
                          + "\t" + text.replace("\n", "\\n") + "\n")

    if not args.no_final:
        t0 = time.time()
        print("final fit on all our rows", flush=True)
        model = train_model(original, toks, y, ours_all, ext_all, args, seed=args.seed + 100)
        report["final_seconds"] = round(time.time() - t0)
        export_encoder(model, original, OUT / "encoder.safetensors")
        (OUT / "head.json").write_text(json.dumps(export_head(model), separators=(",", ":")) + "\n")
        report["round_trip_max_abs_prob_diff"] = round_trip(model, OUT, inputs)
        print(f"f16 + head.json (numpy, unpadded) vs f32 torch (masked batch): max |dp| "
              f"{report['round_trip_max_abs_prob_diff']:.2e}", flush=True)
        if report["round_trip_max_abs_prob_diff"] > 1e-3:
            print("WARNING: round trip exceeds 1e-3", file=sys.stderr)
    (OUT / "cv-report.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
