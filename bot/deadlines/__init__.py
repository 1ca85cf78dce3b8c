"""Deadlines the office must meet: tahap reports, monthly and quarterly duties.

``content`` reads and validates the reviewed deadline file, ``schedule`` computes due
moments and reminder times (pure), ``service`` holds the rules (who reports, who may change
what), ``scanner`` turns what fell due into outbox rows, ``cso_day`` reminds CSOs to
record the day's questions, ``signoff`` carries the monthly report up for approval.
"""
