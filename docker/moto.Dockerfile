# moto's server (https://github.com/getmoto/moto) as a local DynamoDB/SQS/SNS/ECS/S3 for
# docker/compose.real-services.yaml, built from PyPI on the same Debian base as StepLocal's image,
# so the example needs no registry besides Debian's and PyPI. Where Docker Hub is reachable the
# official image `motoserver/moto` does the same job (port 5000 there too). Behind a proxy that
# re-signs HTTPS, put its CA in docker/ca-certificates/ (see the README there).
ARG RUNTIME_IMAGE=debian:bookworm-slim
FROM ${RUNTIME_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv ca-certificates >/dev/null \
 && rm -rf /var/lib/apt/lists/*
COPY docker/ca-certificates/ /usr/local/share/ca-certificates/steplocal/
RUN update-ca-certificates >/dev/null \
 && python3 -m venv /opt/moto \
 && /opt/moto/bin/pip install --quiet --disable-pip-version-check --cert /etc/ssl/certs/ca-certificates.crt 'moto[server]' \
 && rm -rf /root/.cache
EXPOSE 5000
CMD ["/opt/moto/bin/moto_server", "-H", "0.0.0.0", "-p", "5000"]
