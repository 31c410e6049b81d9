#!/usr/bin/env bash
# Creates ./.venv and installs pos-exchange into it (with extras given as $1, e.g. "dev").
# Idempotent: a second run only installs what changed. Sourced by ./run and ./test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
extras="${1:-}"
py="${PYTHON:-python3}"
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "pos-exchange needs Python 3.11 or newer (found: $("$py" --version 2>&1))." >&2
    exit 1
fi
if [ ! -x "$root/.venv/bin/python" ]; then
    "$py" -m venv "$root/.venv"
fi
stamp="$root/.venv/.installed-${extras:-base}"
if [ ! -f "$stamp" ] || [ "$root/pyproject.toml" -nt "$stamp" ]; then
    spec="$root"
    [ -n "$extras" ] && spec="$root[$extras]"
    log="$root/.venv/install.log"
    echo "Installing pos-exchange${extras:+ [$extras]} into .venv (log: .venv/install.log)..." >&2
    if ! { "$root/.venv/bin/python" -m pip install --disable-pip-version-check --upgrade pip &&
           "$root/.venv/bin/python" -m pip install --disable-pip-version-check -e "$spec"; } \
            >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "Installing failed; the full log is $log" >&2
        exit 1
    fi
    touch "$stamp"
fi

# Qt needs a few system libraries (OpenGL/EGL, fonts, keyboard maps, and PulseAudio for the
# scan sounds). Installed from Debian when missing and we may (root, or sudo without a
# password); otherwise say which command to run.
qt_check='import PySide6.QtWidgets, PySide6.QtMultimedia, PySide6.QtSerialPort'
if ! "$root/.venv/bin/python" -c "$qt_check" 2>/dev/null; then
    debs="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 libpulse0"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
    echo "Installing the system libraries Qt needs: $debs" >&2
    if command -v apt-get >/dev/null && { $sudo apt-get install -y -q $debs >>"$root/.venv/install.log" 2>&1 ||
            { $sudo apt-get update -q >>"$root/.venv/install.log" 2>&1 &&
              $sudo apt-get install -y -q $debs >>"$root/.venv/install.log" 2>&1; }; }; then
        :
    else
        echo "Could not install them; run: sudo apt-get install $debs" >&2
    fi
    "$root/.venv/bin/python" -c "$qt_check" || {
        echo "Qt does not load (see above); the command-line tools still work." >&2; exit 1; }
fi
