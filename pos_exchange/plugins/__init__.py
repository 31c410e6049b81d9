"""Device plugins: one package per backend, a Qt-free core with its window and command-line
parts beside it (the layout of Electrum's hardware-wallet plugins)."""
