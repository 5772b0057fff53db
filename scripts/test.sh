#!/bin/sh
# `npm test`: the Jest suites (real PostgreSQL and Redis), then the browser tests (Playwright on the
# built code: `npm run build` first). `npm test -- <paths>` runs only what the paths name: Jest for
# *.spec.ts files and folders, Playwright for *.e2e.ts files and test/console.
set -e
if [ $# -eq 0 ]; then
  NODE_OPTIONS=--experimental-vm-modules jest
  exec playwright test
fi
case "$*" in
  *.e2e.ts* | *test/console*) exec playwright test "$@" ;;
  *) NODE_OPTIONS=--experimental-vm-modules exec jest "$@" ;;
esac
