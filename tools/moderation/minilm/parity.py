"""Writes models/minilm/parity.json: for ~30 sentences, what the Rust side must reproduce within
1e-4: model_input(text), the first 8 embedding values and the head's 6 probabilities.

The head is read back from head.json (6-digit floats), not from sklearn, so the numbers are those
of the file the server loads. Cases cover every class plus the paths that can diverge: evasions,
non-ASCII, truncation past 128 tokens, code blocks and newlines.
"""
import json

import numpy as np

from encoder import MAX_TOKENS, MODEL, Encoder, model_inputs

LONG = ("I've been looking at the deployment pipeline again and I think we should split the "
        "integration tests into smaller groups, cache the dependencies between runs, pin the "
        "container images to digests instead of tags, move the database migrations into their "
        "own step so a failure there is obvious, and write down somewhere who owns each stage, "
        "because right now when something breaks on a Friday evening nobody knows whether to "
        "page the platform team or the application team, and the on-call rota in the wiki is "
        "three months out of date, which also means the escalation contacts are wrong; none of "
        "this is urgent but it keeps costing us an hour here and an hour there every week.")
SENTENCES = [
    # clean
    "This is an example sentence",
    "Thanks for the review, I'll fix the failing tests tonight.",
    "I disagree with this approach; a queue would decouple the services better.",
    "Can we move the standup to 10am tomorrow?",
    "Tony Hoare invented quicksort and Dijkstra wrote about goto.",
    "The regional meeting is in Scunthorpe next week.",
    "The patient was referred to urology after the exam.",
    "WHY IS THE BUILD RED AGAIN",
    # informal
    "lol that build is so cursed",
    "omw, grabbing coffee first",
    "damn, that's a good idea!",
    # rude
    "You are an idiot and your code is garbage.",
    "Nobody asked for your opinion, just shut up.",
    "What a stupid question, did you even read the docs?",
    # demeaning
    "Women can't write proper code, everyone knows that.",
    "People with that accent are too dumb to work here.",
    "Old guys like you should retire and stop wasting our time.",
    # explicit
    "Send me nudes tonight.",
    "I want to have sex with you in the office.",
    # threat
    "I know where you live and I will hurt you.",
    "Say that again and I'll break your legs.",
    # evasive
    "y0u are a st*pid 1d10t",
    "f u c k off",
    # unicode / emoji
    "🎉 congrats on the release!!! 🚀",
    "Naïve café résumé — déjà vu, straße.",
    "東京で会いましょう",
    # long: past 128 tokens, so truncation is exercised
    LONG,
    # code and newlines
    "Here is the fix:\n```rust\nfn kill_child(pid: u32) { /* kill it */ }\n```\nDoes that work?",
    "Run `git blame` to see who broke it.",
    "First line\nsecond line",
]


def head_forward(head, x):
    for layer in head["layers"]:
        x = np.asarray(layer["weight"], np.float64) @ x + np.asarray(layer["bias"], np.float64)
        if layer["activation"] == "relu":
            x = np.maximum(x, 0)
        else:
            x = np.exp(x - x.max())
            x /= x.sum()
    return x


def main():
    head = json.loads((MODEL / "head.json").read_text())
    f32, f64 = Encoder(), Encoder(dtype=np.float64)
    inputs = model_inputs(SENTENCES)
    assert len(f32.tokenizer.encode(model_inputs([LONG])[0]).ids) == MAX_TOKENS, "LONG is too short"
    out = []
    for text, model_input in zip(SENTENCES, inputs):
        emb = f32.embed(model_input)
        # f32 rounding must be far below the Rust test's 1e-4 tolerance
        assert np.abs(emb - f64.embed(model_input)).max() < 1e-5
        probs = head_forward(head, emb.astype(np.float64))
        out.append({"text": text, "model_input": model_input,
                    "embedding_first8": [round(float(v), 7) for v in emb[:8]],
                    "probabilities": [round(float(v), 7) for v in probs]})
        print(f"{head['classes'][probs.argmax()]:>9} {probs.max():.3f}  {model_input[:70]}")
    (MODEL / "parity.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")


if __name__ == "__main__":
    main()
