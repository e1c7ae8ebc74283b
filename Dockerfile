# syntax=docker/dockerfile:1
# The engagement glossary service: build the wheel, then install the pinned dependencies
# (requirements.lock, hashed, for CPython 3.11 on Linux x86_64) and the wheel into a slim image.
# Build: docker build -t engagement-glossary .    Run: docker run -p 8000:8000 engagement-glossary
# Serve another vocabulary: mount it and set GLOSSARY_VOCAB=/data (see README: settings).

ARG PYTHON_IMAGE=python:3.11-slim
ARG NODE_IMAGE=node:20-slim

FROM ${PYTHON_IMAGE} AS builder
WORKDIR /src
RUN python -m pip install --no-cache-dir "build>=1.2"
# Only what the wheel is made of (also see .dockerignore).
COPY pyproject.toml README.md ./
COPY api ./api
COPY vocab ./vocab
COPY schema ./schema
COPY openapi ./openapi
RUN python -m build --wheel --outdir /dist

# GraphiQL's files (docs/graphql.md): the pinned npm packages its page loads, unpacked from
# the registry's tarballs (npm checks their integrity), served by the service, never a CDN.
FROM ${NODE_IMAGE} AS graphiql
COPY api/graphql/graphiql-packages.txt /tmp/graphiql-packages.txt
WORKDIR /opt/graphiql
RUN for spec in $(grep -v '^#' /tmp/graphiql-packages.txt); do \
        name="${spec%@*}"; tarball="$(npm pack "$spec" --silent)"; \
        mkdir -p "$name" && tar -xzf "$tarball" --strip-components=1 -C "$name" && rm "$tarball"; \
    done

FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin glossary
# The locked dependencies in a layer of their own, rebuilt only when the lock changes; then the
# wheel without resolving anything, and `pip check` fails the build if the lock missed one.
COPY requirements.lock /tmp/requirements.lock
RUN python -m pip install --require-hashes -r /tmp/requirements.lock && rm /tmp/requirements.lock
COPY --from=builder /dist/ /tmp/dist/
RUN python -m pip install --no-deps /tmp/dist/*.whl && rm -rf /tmp/dist && python -m pip check
COPY --from=graphiql /opt/graphiql /opt/graphiql
ENV GLOSSARY_GRAPHIQL_ASSETS=/opt/graphiql
USER glossary
WORKDIR /home/glossary
# The start-up cache (README: GLOSSARY_CACHE_DIR), written as the user that reads it: the
# shipped glossary starts warm. A vocabulary mounted at run time is cached on its first start
# (mount a volume at /home/glossary/.cache/glossary to keep that across containers).
RUN glossary warm
EXPOSE 8000
# The image has no curl; the standard library is enough to ask /health.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status == 200 else 1)"]
CMD ["glossary", "serve", "--host", "0.0.0.0", "--port", "8000"]
