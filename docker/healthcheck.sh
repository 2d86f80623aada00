#!/bin/bash
# The image's health check: exits 0 when StepLocal answers GET /health with HTTP 200.
# bash's /dev/tcp instead of curl, so the image needs no extra package (and no network to build).
# Usage: steplocal-healthcheck [PORT]   (default 8083)
set -u
port=${1:-8083}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3 || exit 1
# The status line, e.g. "HTTP/1.1 200 OK"; a 3-second timeout so a hung server fails the check.
read -r -t 3 _ status _ <&3 || exit 1
[ "$status" = 200 ]
