# syntax=docker/dockerfile:1
# Two images from one file:
#   docker build --target engine -t mip-engine .   Rasa 3.6.21 on Python 3.10, model trained in
#   docker build --target bot    -t mip-bot .      the bot on a current Python

FROM python:3.10-slim AS engine
ENV RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --create-home --uid 10001 mip
WORKDIR /srv/intents
COPY intents/requirements.lock ./
RUN pip install -r requirements.lock
COPY intents/ ./
# The tokenizer's spelling rules are the bot's own module (standard library only).
COPY bot/__init__.py /srv/bot/__init__.py
COPY bot/language/__init__.py bot/language/folding.py /srv/bot/language/
RUN rasa train nlu --config config.yml --nlu data/nlu --out models --fixed-model-name nlu \
    && chown -R mip:mip /srv/intents
USER mip
EXPOSE 5005
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5005/status')"
CMD ["rasa", "run", "--enable-api", "--model", "models/nlu.tar.gz", "--interface", "0.0.0.0", "--port", "5005"]

FROM python:3.12-slim AS bot
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1
RUN useradd --create-home --uid 10001 mip
WORKDIR /srv
COPY pyproject.toml README.md ./
COPY bot/ bot/
RUN pip install .
# The contract (topics), the training texts (language identification) and the content.
COPY intents/contract.yml intents/contract.yml
COPY intents/data/ intents/data/
COPY content/ content/
RUN mkdir -p /srv/data && chown -R mip:mip /srv/data /srv/content
USER mip
ENV MIP_DATABASE_URL=sqlite+aiosqlite:////srv/data/mip.db
CMD ["mip", "run"]
