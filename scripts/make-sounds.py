"""Writes resources/sounds/*.wav: short sine beeps (the sounds are ours, no licence to track).

scan_ok: one short high beep. error: two low beeps, distinct from a good scan by ear.
Run once after changing them, then scripts/build-ui.sh to compile them into the package.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
OUT = Path(__file__).resolve().parent.parent / "resources" / "sounds"


def tone(freq: float, ms: int, volume: float = 0.5) -> list[int]:
    n = RATE * ms // 1000
    fade = max(1, n // 10)  # a short ramp avoids clicks
    out = []
    for i in range(n):
        env = min(1.0, i / fade, (n - i) / fade)
        out.append(int(32767 * volume * env * math.sin(2 * math.pi * freq * i / RATE)))
    return out


def write(name: str, samples: list[int]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with wave.open(str(OUT / name), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(struct.pack(f"<{len(samples)}h", *samples))


if __name__ == "__main__":
    write("scan_ok.wav", tone(1760, 70))
    write("error.wav", tone(330, 140) + [0] * (RATE // 20) + tone(262, 200))
