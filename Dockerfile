# genmei in a container: the CLI with its embedded OPA engine and PostgreSQL support
# and every cloud collector (the [all,postgres] extras), no test extras, run as the non-root user 10001.
#   docker build -t registry.example.com/genmei:0.1.0 .
#   docker run --rm registry.example.com/genmei:0.1.0 policy list
# No container engine runs where genmei is developed: tests/test_deploy.py checks that
# these instructions hang together and runs their pip lines on this checkout in a venv;
# the image itself is built and run only by you (README, "Deployment").
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml setup.py README.md LICENSE ./
COPY engine engine
COPY collectors collectors
COPY policies policies
COPY mappings mappings
RUN python -m venv /opt/genmei \
 && /opt/genmei/bin/pip install --no-cache-dir '.[all,postgres]' \
 && /opt/genmei/bin/pip install --no-cache-dir --no-deps --ignore-requires-python opa-golib-python-bindings==0.4.4

FROM python:3.11-slim-bookworm
COPY --from=build /opt/genmei /opt/genmei
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /tmp --shell /usr/sbin/nologin genmei
ENV PATH=/opt/genmei/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/tmp
USER 10001:10001
WORKDIR /tmp
ENTRYPOINT ["genmei"]
CMD ["--help"]
