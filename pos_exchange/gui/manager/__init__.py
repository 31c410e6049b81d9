"""The store manager's screens in the counter app (manager role, Ctrl+M): the dashboard
of the seed's figures, the end-of-day close, and the tasks that were command-line only
(drawer reconciliation, card refunds, outbox dead letters)."""
