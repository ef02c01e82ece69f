#!/bin/sh
# The engine image's command: `serve.sh` runs Rasa's HTTP API with an auth token,
# `serve.sh health` is its healthcheck. The token comes from MIP_ENGINE_TOKEN_FILE (a Docker
# secret: not shown by `docker inspect`) or MIP_ENGINE_TOKEN; the bot sends the same one.
set -eu
if [ -n "${MIP_ENGINE_TOKEN_FILE:-}" ]; then
    MIP_ENGINE_TOKEN=$(cat "$MIP_ENGINE_TOKEN_FILE")
fi
if [ -z "${MIP_ENGINE_TOKEN:-}" ]; then
    echo "set MIP_ENGINE_TOKEN_FILE or MIP_ENGINE_TOKEN: without a token anyone on the network could replace the model" >&2
    exit 2
fi
export MIP_ENGINE_TOKEN
if [ "${1:-}" = health ]; then
    # Ready means a model is loaded; /status needs the token like every other route.
    exec python -c 'import json, os, urllib.parse, urllib.request
url = "http://127.0.0.1:5005/status?" + urllib.parse.urlencode({"token": os.environ["MIP_ENGINE_TOKEN"]})
assert json.load(urllib.request.urlopen(url, timeout=4)).get("model_file")'
fi
exec rasa run --enable-api --auth-token "$MIP_ENGINE_TOKEN" \
    --model models/nlu.tar.gz --interface 0.0.0.0 --port 5005
