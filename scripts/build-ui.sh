#!/usr/bin/env bash
# Compiles the Qt Designer forms (ui/*.ui) and the resources (resources/: theme, icons,
# sounds, translations) into the package, the way MusicBrainz Picard does, so an installed
# wheel carries them as plain Python modules. The outputs are committed;
# tests/gui/test_packaging.py fails when one is stale.
#   scripts/build-ui.sh            compile forms, translations and resources
#   scripts/build-ui.sh --update-ts  first refresh resources/translations/*.ts from the sources
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${POS_EXCHANGE_QT_BIN:-$root/.venv/bin}"
out="${1:-}"
cd "$root"
if [ "$out" = "--update-ts" ]; then
    # resources_rc.py is generated data, and lupdate crashes on it: leave it out.
    # gui/manager/ too: its screens' tr() calls need German like the counter's.
    sources=$(ls pos_exchange/gui/*.py pos_exchange/gui/manager/*.py | grep -v resources_rc.py)
    "$bin/pyside6-lupdate" -no-obsolete $sources ui/*.ui \
        -ts resources/translations/pos_exchange_de.ts
    out=""
fi
forms="${out:-pos_exchange/gui/forms}"
rc="${out:-pos_exchange/gui}"
mkdir -p "$forms"
[ -f "$forms/__init__.py" ] || echo '"""Compiled from ui/*.ui by scripts/build-ui.sh: do not edit."""' > "$forms/__init__.py"
for form in ui/*.ui; do
    name="$(basename "$form" .ui)"
    "$bin/pyside6-uic" --no-autoconnection "$form" -o "$forms/ui_$name.py"
done
for ts in resources/translations/*.ts; do
    "$bin/pyside6-lrelease" -silent "$ts" -qm "${ts%.ts}.qm"
done
"$bin/pyside6-rcc" --format-version 1 -g python resources/resources.qrc -o "$rc/resources_rc.py"
