# studybot in a small image: the locked runtime dependencies, the wheel, a non-root user, and
# the database on a volume. Build: docker build -t studybot .   Run: see compose.yaml.
FROM python:3.11-slim AS build
WORKDIR /src
COPY requirements/runtime.txt requirements/runtime.txt
RUN python -m pip wheel --no-cache-dir --wheel-dir /wheels -r requirements/runtime.txt
COPY pyproject.toml README.md LICENSE ./
COPY bot bot
COPY adapters adapters
COPY questions questions
COPY migrations migrations
RUN python -m pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 studybot && mkdir /data && chown studybot /data
COPY --from=build /wheels /wheels
RUN python -m pip install --no-cache-dir --no-index --find-links /wheels studybot \
    && rm -rf /wheels
USER studybot
WORKDIR /data
VOLUME /data
ENV DATABASE_URL=sqlite:////data/studybot.db \
    PYTHONUNBUFFERED=1
# studybot stops cleanly on SIGTERM (docker stop): queued answers are written first
STOPSIGNAL SIGTERM
CMD ["studybot", "run"]
