#!/bin/sh
# `npm test`: the Jest suites (real PostgreSQL and Redis), then the browser tests (Playwright on the
# built code). `npm test -- <paths>` runs only what the paths name: Jest for
# *.spec.ts files and folders, Playwright for *.e2e.ts files and test/console. Without paths it
# builds first, so `npm ci && npm test` on a fresh clone runs everything.
set -e
# The browser tests' nodes issue short access tokens, so that the session-renewal journey runs.
browser_tests() {
  CONSOLE_ACCESS_TOKEN_TTL_SECONDS="${CONSOLE_ACCESS_TOKEN_TTL_SECONDS:-15}" exec playwright test "$@"
}
if [ $# -eq 0 ]; then
  # The whole run tests the built code too (the console, the processes the fault tests start): build it.
  # (CI has just built it and says so with CONCORDIA_BUILT=1.)
  [ "${CONCORDIA_BUILT:-}" = 1 ] || npm run build --silent
  NODE_OPTIONS=--experimental-vm-modules jest
  browser_tests
fi
case "$*" in
  *.e2e.ts* | *test/console*) browser_tests "$@" ;;
  *) NODE_OPTIONS=--experimental-vm-modules exec jest "$@" ;;
esac
