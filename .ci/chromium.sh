#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver when missing (for the dashboard's end-to-end
# test). Needs root; exits 3 without it.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "chromium.sh: needs root to install chromium and chromium-driver" >&2
    exit 3
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium chromium-driver >/dev/null; }
