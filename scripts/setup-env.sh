#!/usr/bin/env bash
# Creates ./.venv and installs pos-exchange into it, with the extras named by $1:
#   (none)   the engine and the command line: database, audit, exchanges, staff
#   counter  the register (./run): + the Qt window, receipt printer, card reader
#   hub      the central server: + FastAPI, uvicorn, PostgreSQL driver (no Qt)
#   dev      everything, plus the test tools (./test)
# Idempotent: a second run only installs what changed. Called by ./run and ./test.
#
# With the window (counter, dev) it also installs the Debian libraries Qt's X11 (xcb)
# platform plugin needs and, once per install, opens a real window on $DISPLAY or under
# Xvfb to prove the plugin loads. With dev it installs Xvfb, xdotool and ImageMagick for
# the real-window test. Debian packages are installed as root or with `sudo -n`;
# otherwise the exact apt-get command is printed. Nothing here prompts (CI has no stdin).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
extras="${1:-}"
py="${PYTHON:-python3}"
venv="$root/.venv"
log="$venv/install.log"

if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "pos-exchange needs Python 3.11 or newer (found: $("$py" --version 2>&1))." >&2
    exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
    "$py" -m venv "$venv"
fi
stamp="$venv/.installed-${extras:-base}"
if [ ! -f "$stamp" ] || [ "$root/pyproject.toml" -nt "$stamp" ]; then
    spec="$root"
    [ -n "$extras" ] && spec="$root[$extras]"
    echo "Installing pos-exchange${extras:+ [$extras]} into .venv (log: .venv/install.log)..." >&2
    if ! { "$venv/bin/python" -m pip install --disable-pip-version-check --upgrade pip &&
           "$venv/bin/python" -m pip install --disable-pip-version-check -e "$spec"; } \
            </dev/null >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "Installing failed; the full log is $log" >&2
        exit 1
    fi
    touch "$stamp"
fi

# ------------------------------------------------------------------ Debian packages
# missing_debs PKG...: the packages of the list that are not installed (dpkg's view).
missing_debs() {
    command -v dpkg-query >/dev/null || { echo "$@"; return; }
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed ||
            printf '%s ' "$pkg"
    done
}

# apt_install WHAT PKG...: installs the missing ones; says what to run when it may not.
apt_install() {
    local what="$1"; shift
    local missing sudo=""
    missing="$(missing_debs "$@")"
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
            echo "$what needs Debian packages; run: sudo apt-get install $missing" >&2
            return 1
        fi
    fi
    if ! command -v apt-get >/dev/null; then
        echo "$what needs these packages (Debian names, no apt-get here): $missing" >&2
        return 1
    fi
    echo "Installing the Debian packages $what needs: $missing" >&2
    # Another apt run (unattended upgrades, a parallel job) may hold the lock: wait for it.
    local apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -y -q
               -o DPkg::Lock::Timeout=600 --no-install-recommends)
    # shellcheck disable=SC2086  # $missing is a list of package names
    if { "${apt[@]}" install $missing || { "${apt[@]}" update && "${apt[@]}" install $missing; }
       } </dev/null >>"$log" 2>&1; then
        return 0
    fi
    tail -n 15 "$log" >&2
    echo "Could not install them; run: sudo apt-get install $missing" >&2
    return 1
}

case "$extras" in
    *counter*|*dev*) window=1 ;;
    *) window=0 ;;
esac
[ "$window" = 1 ] || exit 0

# What Qt's xcb platform plugin and the window load, found with `ldd` on libqxcb.so and
# the Qt libraries (repeated until nothing was "not found"), plus PulseAudio for the scan
# sounds and the Wayland client libraries for a Wayland desktop.
qt_debs="libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3 libpulse0
 libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon0 libxkbcommon-x11-0
 libwayland-cursor0 libwayland-egl1"
# The display check needs an X server when there is none (xauth: for README's xvfb-run).
xvfb_debs="xvfb xauth"
# The real-window test: Xvfb, xdotool for the keys, ImageMagick's `import` for screenshots.
test_debs="xvfb xauth xdotool imagemagick"

if [ "$extras" = dev ] && ! { command -v Xvfb && command -v xdotool && command -v import; } \
        >/dev/null; then
    # shellcheck disable=SC2086
    apt_install "the real-window test" $test_debs ||
        echo "Without them tests/gui/test_real_window.py fails." >&2
fi

# The back office's tests: Debian's chromium (the hub console in a real browser), poppler
# (pdftoppm, pdftotext: the Z-report's PDF) and DejaVu Sans (the PDF's text).
office_debs="chromium poppler-utils fonts-dejavu-core"
if [ "$extras" = dev ] && ! { command -v chromium && command -v pdftoppm \
        && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; } >/dev/null; then
    # shellcheck disable=SC2086
    apt_install "the back office's tests" $office_debs ||
        echo "Without them tests/hub/test_console_browser.py and" \
             "tests/integration/test_zreport_outputs.py fail." >&2
fi

# Once per install (the stamp is older than the last pip install): the libraries, then the
# xcb plugin loaded for real. `import PySide6.QtWidgets` succeeds without a loadable
# platform plugin, so only a window on an X server proves it.
display_stamp="$venv/.display-checked"
if [ -f "$display_stamp" ] && [ "$display_stamp" -nt "$stamp" ]; then
    exit 0
fi
# shellcheck disable=SC2086
apt_install "Qt's window" $qt_debs || true
if [ -z "${DISPLAY:-}" ] && ! command -v Xvfb >/dev/null; then
    # shellcheck disable=SC2086
    apt_install "the display check" $xvfb_debs || true
fi
check=(env QT_QPA_PLATFORM=xcb "$venv/bin/python" "$root/scripts/display-check.py")
if [ -n "${DISPLAY:-}" ]; then
    where="the display $DISPLAY"
elif command -v Xvfb >/dev/null; then
    # Our own Xvfb on a display number it picks (-displayfd), stopped on exit. (xvfb-run
    # leaves its server running when its temp-dir cleanup fails.)
    where="Xvfb"
    number_file="$(mktemp)"
    Xvfb -displayfd 3 -screen 0 1366x768x24 -nolisten tcp 3>"$number_file" \
        </dev/null >/dev/null 2>&1 &
    xvfb_pid=$!
    trap 'kill "$xvfb_pid" 2>/dev/null; rm -f "$number_file"' EXIT
    for _ in $(seq 100); do   # up to 10 s until it accepts connections
        [ -s "$number_file" ] && break
        kill -0 "$xvfb_pid" 2>/dev/null || break
        sleep 0.1
    done
    check=(env DISPLAY=":$(head -n 1 "$number_file")" "${check[@]}")
else
    echo "Not checked whether the window opens on X11: no \$DISPLAY and no Xvfb" \
         "(QT_QPA_PLATFORM=offscreen ./run still works)." >&2
    exit 0
fi
if ! out="$(timeout 120 "${check[@]}" </dev/null 2>&1)"; then
    echo "$out" | tail -n 20 >&2
    qxcb="$(ls "$venv"/lib/python3*/site-packages/PySide6/Qt/plugins/platforms/libqxcb.so \
            2>/dev/null | head -n 1)"
    # ldd names each shared library the plugin lacks (`apt-file search NAME`: its package).
    missing="$([ -n "$qxcb" ] && ldd "$qxcb" 2>/dev/null | awk '/not found/ {print $1}' |
               sort -u | tr '\n' ' ' || true)"
    if [ -n "$missing" ]; then
        echo "Qt's xcb plugin lacks: $missing— install: sudo apt-get install $(echo $qt_debs)" >&2
    fi
    echo "The counter window cannot open on $where (see above); the command-line tools" \
         "still work, and so does QT_QPA_PLATFORM=offscreen ./run." >&2
    # ./run stops here; ./test goes on (offscreen tests run, the real-window test fails).
    [ "$extras" = dev ] && exit 0
    exit 1
fi
touch "$display_stamp"
