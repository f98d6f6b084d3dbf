#!/usr/bin/env bash
# Download, here, the cp312 wheels the engine modules need on a lent GPU machine (Python 3.12, torch,
# transformers, accelerate, peft and safetensors already there; no diffusers, pydantic or ftfy, and no
# network). They go into .whl/ (ignored by git); bench/device_check.sh installs them there into /tmp/site.
# Versions follow requirements.txt / this venv. Run from the repository root: bash bench/make_device_wheels.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .whl
rm -f .whl/*.whl
py=${PYTHON:-.venv/bin/python}
ver() { "$py" -c "import importlib.metadata as m; print(m.version('$1'))"; }
pkgs=(
  "diffusers==$(ver diffusers)"
  "pydantic==$(ver pydantic)" "pydantic-core==$(ver pydantic-core)"
  "annotated-types==$(ver annotated-types)" "typing-inspection==$(ver typing-inspection)"
  "ftfy==$(ver ftfy)" "wcwidth==$(ver wcwidth)"  # WanImageToVideoPipeline calls ftfy unchecked
  "importlib-metadata==$(ver importlib-metadata)"  # diffusers imports it; zipp is there
)
"$py" -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
  --platform manylinux2014_x86_64 --platform manylinux1_x86_64 -d .whl "${pkgs[@]}"
ls -la .whl
du -sh .whl
