# syntax=docker/dockerfile:1
# Two images from one file:
#   docker build --target engine -t mip-engine .   Rasa 3.6.21 on Python 3.10, model trained in
#   docker build --target bot    -t mip-bot .      the bot on a current Python
#
# Both install only from hashed locks (`make lock` writes them): intents/requirements.lock and
# requirements-runtime.lock. pip refuses any file whose sha256 is not in the lock.
#
# Base images are pinned by digest. A tag is moved to a new build every few weeks; a digest
# never changes, so every build of a commit starts from the same bytes. Each digest below is
# the multi-platform index of its tag as the Docker Official Images published it (recorded in
# github.com/docker-library/repo-info, repos/python/remote/<tag>.md, on the date noted).
# To update, monthly or when Debian or Python has a security fix:
#   docker buildx imagetools inspect python:3.12-slim-bookworm      # prints "Digest: sha256:..."
#   (or `docker pull python:3.12-slim-bookworm` and `docker images --digests python`)
# put the new digest and date here (and postgres's in compose.yaml), rebuild, and run
# `make test` and `docker compose up` before deploying.

# python:3.10-slim-bookworm (Python 3.10.21, Debian 12), published 2026-08-25
FROM python:3.10-slim-bookworm@sha256:673f009e3763f8d03953b525c89b03a9ee8ca315bf6b8006979b5c4a4e2e4d68 AS engine
ENV RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --create-home --uid 10001 mip
WORKDIR /srv/intents
COPY intents/requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY intents/ ./
# The tokenizer's spelling rules are the bot's own module (standard library only).
COPY bot/__init__.py /srv/bot/__init__.py
COPY bot/language/__init__.py bot/language/folding.py /srv/bot/language/
RUN rasa train nlu --config config.yml --nlu data/nlu --out models --fixed-model-name nlu \
    && chown -R mip:mip /srv/intents
USER mip
EXPOSE 5005
# serve.sh: `rasa run --enable-api --auth-token` with MIP_ENGINE_TOKEN(_FILE); refuses to start
# without a token. `serve.sh health` asks /status with the token (a model is loaded).
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s CMD ["sh", "/srv/intents/serve.sh", "health"]
CMD ["sh", "/srv/intents/serve.sh"]

# python:3.12-slim-bookworm (Python 3.12.14, Debian 12), published 2026-08-25
FROM python:3.12-slim-bookworm@sha256:0f5b26b9518d002b6173fd61daad821fa340635ebfec5bba471013f9ca114579 AS bot
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1
RUN useradd --create-home --uid 10001 mip
WORKDIR /srv
# The dependencies first (their layer survives code changes), then the bot without resolving
# anything: its build backend (setuptools) is in the lock too.
COPY requirements-runtime.lock ./
RUN pip install --require-hashes -r requirements-runtime.lock
COPY pyproject.toml README.md ./
COPY bot/ bot/
RUN pip install --no-deps --no-build-isolation . && rm -rf build
# The contract (topics), the training texts (language identification) and the content.
COPY intents/contract.yml intents/contract.yml
COPY intents/data/ intents/data/
COPY content/ content/
RUN mkdir -p /srv/data && chown -R mip:mip /srv/data /srv/content
USER mip
# /healthz, /readyz and /metrics (README, "Operating it"); publish the port only to your
# monitoring network.
ENV MIP_DATABASE_URL=sqlite+aiosqlite:////srv/data/mip.db MIP_METRICS_PORT=9180
EXPOSE 9180
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['MIP_METRICS_PORT'], timeout=4)"
CMD ["mip", "run"]
