#!/usr/bin/env bash
# Everything the engines need checked on a GPU, in one go, for a session lent a device machine:
#   here:  bash bench/make_device_wheels.sh           (once: the cp312 wheels into .whl/)
#   there: run(command="bash bench/device_check.sh", carry=[".whl"], timeout_s=540)
# It installs the carried wheels into /tmp/site, then runs, each under its own time limit so one hang
# cannot eat the rest: the tiny pipelines on CUDA per family and placement, step caches, attention
# backends, cancel, emulated 8/12/16/24 GB cards and the TAEHV preview (bench/device_engines.py); the
# real-size random-weight bench (bench/gpu_engines.py --size real); and the finishing pass's speed
# (bench/interpolate.py). Logs and the JSON summary go under $OUT (at most 8 files come back).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/storyreel_device_out}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl \
  || { echo "wheel install failed: run bench/make_device_wheels.sh here and carry .whl"; exit 2; }
export PYTHONPATH=/tmp/site:$PWD
{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv; python3 -c "import torch, diffusers, pydantic; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'diffusers', diffusers.__version__, 'pydantic', pydantic.__version__)"; } 2>&1 | tee "$OUT/env.txt"
status=0
step() {  # step NAME SECONDS COMMAND...: one part, its own log and limit
  local name=$1 limit=$2; shift 2
  echo "== $name (limit ${limit}s)"
  timeout "$limit" "$@" 2>&1 | grep -v -i "experimental feature" | tee "$OUT/$name.log"
  local rc=${PIPESTATUS[0]}
  echo "== $name: exit $rc"; [ "$rc" -eq 0 ] || status=1
}
step engines 150 python3 bench/device_engines.py --out "$OUT"
step real_size 270 python3 bench/gpu_engines.py --size real --steps 6
step finish 60 python3 bench/interpolate.py --device cuda --frames 16 --rounds 1
echo "device check done: exit $status (logs under $OUT)"
exit $status
