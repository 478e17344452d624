# syntax=docker/dockerfile:1
# Build stage: dependencies first (cached while only the code changes), then the package.
FROM python:3.11-slim AS build
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /venv
COPY constraints.txt pyproject.toml README.md ./
# Install the pinned dependencies of the runtime (and PostgreSQL driver) before the code.
RUN mkdir calfeed && touch calfeed/__init__.py \
    && /venv/bin/pip install -c constraints.txt '.[postgres]' \
    && /venv/bin/pip uninstall -y calfeed
COPY calfeed ./calfeed
RUN /venv/bin/pip install --no-deps .

# Runtime stage: no compilers, no build files, a non-root user.
FROM python:3.11-slim
RUN useradd --create-home --uid 10001 calfeed
WORKDIR /app
COPY --from=build /venv /venv
COPY data ./data
RUN mkdir -p var && chown -R calfeed:calfeed /app
USER calfeed
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    CALFEED_HOST=0.0.0.0 \
    CALFEED_PORT=8000 \
    CALFEED_DATA=/app/data/events.yaml \
    CALFEED_DATABASE_URL=sqlite:////app/var/calfeed.db
VOLUME ["/app/data", "/app/var"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["calfeed", "serve"]
