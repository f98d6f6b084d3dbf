"""Read an ncnn model (.param text graph + .bin weight blob) into typed layers with numpy weights.

Only what the Real-ESRGAN files need: the layer list with its parameters, and the weights of Convolution
and PReLU layers read from the blob in layer order, as ncnn's own loader does. The blob stores a convolution's
weights behind a 4-byte tag (fp32 raw, or fp16) and its bias and PReLU slopes as raw fp32. A layer type that
carries weights but is not understood here stops the read, so a model is never half-loaded.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

MAGIC = 7767517
TAG_FP32 = 0x00000000
TAG_FP16 = 0x01306B47
# Layer types whose forward needs no weights from the blob.
WEIGHTLESS = {"Input", "Split", "Concat", "Eltwise", "BinaryOp", "Interp", "PixelShuffle", "ReLU", "Sigmoid"}


class NcnnLayer(BaseModel):
    """One line of the .param file, with its weights once the .bin is read."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    type: str
    name: str
    inputs: list[str]
    outputs: list[str]
    params: dict[int, int | float | list[int | float]]
    weights: dict[str, np.ndarray] = {}

    def get(self, key: int, default: int | float = 0) -> int | float:
        value = self.params.get(key, default)
        if isinstance(value, list):
            raise ValueError(f"{self.name}: parameter {key} is an array")
        return value


def _number(text: str) -> int | float:
    return float(text) if any(c in text for c in ".eE") else int(text)


def parse_param(text: str) -> list[NcnnLayer]:
    """Parse an ncnn .param file (text form)."""
    lines = [ln.split() for ln in text.splitlines() if ln.strip()]
    if not lines or lines[0] != [str(MAGIC)]:
        raise ValueError("not an ncnn .param file (magic number missing)")
    layer_count = int(lines[1][0])
    layers = []
    for parts in lines[2:]:
        kind, name, n_in, n_out = parts[0], parts[1], int(parts[2]), int(parts[3])
        ins, outs = parts[4 : 4 + n_in], parts[4 + n_in : 4 + n_in + n_out]
        params: dict[int, int | float | list[int | float]] = {}
        for item in parts[4 + n_in + n_out :]:
            key_text, value = item.split("=", 1)
            key = int(key_text)
            if key <= -23300:  # an array parameter: key -23300-k holds "count,v1,v2,…" for parameter k
                values = [_number(v) for v in value.split(",")]
                params[-23300 - key] = values[1 : 1 + int(values[0])]
            else:
                params[key] = _number(value)
        layers.append(NcnnLayer(type=kind, name=name, inputs=ins, outputs=outs, params=params))
    if len(layers) != layer_count:
        raise ValueError(f"the .param header says {layer_count} layers but {len(layers)} were read")
    return layers


class _Blob:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def _need(self, nbytes: int) -> None:
        if self.pos + nbytes > len(self.data):
            raise ValueError("the .bin file ends before the weights the .param file declares")

    def raw_fp32(self, count: int) -> np.ndarray:
        self._need(4 * count)
        out = np.frombuffer(self.data, dtype="<f4", count=count, offset=self.pos).copy()
        self.pos += 4 * count
        return out

    def tagged(self, count: int) -> np.ndarray:
        self._need(4)
        (tag,) = struct.unpack_from("<I", self.data, self.pos)
        self.pos += 4
        if tag == TAG_FP16:
            size = (2 * count + 3) // 4 * 4  # fp16 blocks are padded to a multiple of 4 bytes
            self._need(size)
            out = np.frombuffer(self.data, dtype="<f2", count=count, offset=self.pos).astype(np.float32)
            self.pos += size
            return out
        if tag == TAG_FP32:
            return self.raw_fp32(count)
        raise ValueError(f"unsupported ncnn weight storage (tag {tag:#010x}); only fp32 and fp16 are read")


def read_weights(layers: list[NcnnLayer], blob: bytes) -> None:
    """Fill each layer's weights from the .bin blob, in layer order; the whole blob must be used."""
    b = _Blob(blob)
    for layer in layers:
        if layer.type == "Convolution":
            out_ch, size = int(layer.get(0)), int(layer.get(6))
            kw = int(layer.get(1))
            kh = int(layer.get(11, kw))
            if int(layer.get(8)) != 0:
                raise ValueError(f"{layer.name}: int8 convolutions are not supported")
            w = b.tagged(size)
            layer.weights = {"weight": w.reshape(out_ch, size // (out_ch * kh * kw), kh, kw)}
            if int(layer.get(5)):
                layer.weights["bias"] = b.raw_fp32(out_ch)
        elif layer.type == "PReLU":
            layer.weights = {"slope": b.raw_fp32(int(layer.get(0)))}
        elif layer.type not in WEIGHTLESS:
            raise ValueError(f"{layer.name}: ncnn layer type {layer.type} is not supported")
    if b.pos != len(blob):
        raise ValueError(f"{len(blob) - b.pos} bytes of the .bin file were not used: the model does not match")


def load_ncnn(param: Path, bin_path: Path) -> list[NcnnLayer]:
    """The layers of an ncnn model with their weights."""
    layers = parse_param(Path(param).read_text())
    read_weights(layers, Path(bin_path).read_bytes())
    return layers
