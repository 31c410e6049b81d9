"""Back-office documents: the seed's figures and the day's close as CSV, JSON, PDF and
receipt lines. Qt-free and I/O-free: callers write the text or bytes where they want."""
