# syntax=docker/dockerfile:1
# plantflow's image: the worker, the gateway (and its console), the codec server, the Temporal
# setup job, the reference systems and the operator's CLI, as commands of one entry point:
#
#   docker build -t plantflow .
#   docker run --rm plantflow cli --help         (worker | gateway | codec-server | ...)
#
# The demo profile's OpenID provider is the separate target `demo-idp` (Node.js).
ARG PYTHON_VERSION=3.11

# The Python environment, from pyproject.toml alone: the dependencies in the ranges it bounds.
FROM python:${PYTHON_VERSION}-slim-bookworm AS environment
COPY pyproject.toml /tmp/pyproject.toml
RUN python -m venv /opt/plantflow \
 && python -c "import tomllib; project = tomllib.load(open('/tmp/pyproject.toml', 'rb'))['project']; open('/tmp/requirements.txt', 'w').write('\n'.join(project['dependencies']))" \
 && /opt/plantflow/bin/pip install --no-cache-dir --requirement /tmp/requirements.txt

# The demo profile's sign-in (panva's oidc-provider), from the committed lock file.
FROM node:20-bookworm-slim AS demo-idp
WORKDIR /idp
COPY stack/idp/package.json stack/idp/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && mkdir -p /var/lib/idp && chown node:node /var/lib/idp
COPY stack/idp/server.mjs ./
COPY config/idp-demo.json ./idp-demo.json
ENV IDP_HOST=0.0.0.0 IDP_PORT=8106 IDP_DATA=/idp/idp-demo.json IDP_KEYS=/var/lib/idp/keys.json
USER node
EXPOSE 8106
CMD ["node", "server.mjs"]

# The product (the default target).
FROM python:${PYTHON_VERSION}-slim-bookworm AS plantflow
ENV PATH=/opt/plantflow/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PLANTFLOW_LOG_FORMAT=json
RUN groupadd --system --gid 10001 plantflow \
 && useradd --system --uid 10001 --gid plantflow --home-dir /app --shell /usr/sbin/nologin plantflow \
 && mkdir -p /var/lib/plantflow && chown plantflow:plantflow /var/lib/plantflow
COPY --from=environment /opt/plantflow /opt/plantflow
WORKDIR /app
COPY canonical/ canonical/
COPY adapters/ adapters/
COPY activities/ activities/
COPY workflows/ workflows/
COPY gateway/ gateway/
COPY runtime/ runtime/
COPY refsystems/ refsystems/
COPY stack/ stack/
COPY cli/ cli/
COPY config/ config/
COPY worker.py starter.py pyproject.toml ./
USER plantflow
VOLUME ["/var/lib/plantflow"]
ENTRYPOINT ["python", "-m", "runtime.entrypoint"]
CMD ["worker"]
