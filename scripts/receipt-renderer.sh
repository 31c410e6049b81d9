#!/usr/bin/env bash
# Sets up the independent receipt checker the tests use, and prints its Python.
#   - emupos (an ESC/POS printer emulator, PyPI) in its own venv on Python 3.13, which it
#     needs; never installed into the project's .venv, which stays on its own Python;
#   - zbarimg (Debian's zbar-tools), the decoder that reads the barcodes off its PNG.
# Idempotent: a second run only checks. Runs unattended (CI=true, no stdin) as root, or
# with sudo -n. Exits non-zero with one sentence saying what is missing.
# Environment: POS_EXCHANGE_RENDERER_DIR (default .cache/receipt-renderer in the repo),
# POS_EXCHANGE_RENDERER_PYTHON (a Python 3.13+ to build the venv from).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${POS_EXCHANGE_RENDERER_DIR:-$root/.cache/receipt-renderer}"
venv="$dir/venv"
emupos_spec="emupos==0.4.0"
stamp="$venv/.installed-${emupos_spec}"

say() { echo "receipt-renderer: $*" >&2; }
mkdir -p "$dir"

if ! command -v zbarimg >/dev/null; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
    say "installing zbar-tools (zbarimg) from Debian"
    if ! { command -v apt-get >/dev/null &&
           { DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q zbar-tools >"$dir/apt.log" 2>&1 ||
             { $sudo apt-get update -q >>"$dir/apt.log" 2>&1 &&
               DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q zbar-tools >>"$dir/apt.log" 2>&1; }; }; }; then
        say "zbarimg is missing and could not be installed: run 'sudo apt-get install zbar-tools'."
        exit 1
    fi
fi

if [ ! -f "$stamp" ]; then
    py="${POS_EXCHANGE_RENDERER_PYTHON:-}"
    if [ -z "$py" ]; then
        for candidate in python3.14 python3.13 \
                $(ls -d "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.1[3-9]*/bin/python 2>/dev/null | sort -rV); do
            if command -v "$candidate" >/dev/null &&
                    "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; then
                py="$candidate"
                break
            fi
        done
    fi
    if [ -n "$py" ] && ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; then
        say "POS_EXCHANGE_RENDERER_PYTHON=$py is not Python 3.13 or newer, which emupos needs."
        exit 1
    fi
    if [ -z "$py" ]; then
        say "emupos needs Python 3.13 or newer and none was found (pyenv, python3.13):" \
            "install one, or set POS_EXCHANGE_RENDERER_PYTHON to it."
        exit 1
    fi
    rm -rf "$venv"
    say "creating $venv with $("$py" --version 2>&1) and installing $emupos_spec"
    if ! { "$py" -m venv "$venv" &&
           "$venv/bin/python" -m pip install -q --disable-pip-version-check "$emupos_spec"; } \
            >"$dir/install.log" 2>&1; then
        tail -n 20 "$dir/install.log" >&2
        say "installing emupos failed; the log is $dir/install.log"
        exit 1
    fi
    touch "$stamp"
fi
echo "$venv/bin/python"
