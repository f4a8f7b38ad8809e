#!/usr/bin/env bash
# Set up a development environment on a fresh Debian-like machine:
# the system packages the lab and the GUI tests need (when running as root),
# then a virtual environment in .venv with vaclient and its test extras.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  # the lab: tunnel, DNS, TCP services, faults, namespaces
  openvpn dnsmasq openssh-server redis-server nftables iproute2 procps
  # the sequential baseline of the benchmark
  dnsutils netcat-openbsd
  # Qt offscreen and the Xvfb screenshots
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  xvfb xauth fonts-noto-cjk libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
)

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for pkg in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
else
  echo "bootstrap: not root; skipping system packages (lab tests will skip)" >&2
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
echo "bootstrap: ready (.venv/bin/vaclient)"
