"""Checks of models and documents: findings, libsbml's checks, the BioPAX rules, the round-trip
comparison, reports and the project configuration; :mod:`.validate` runs them on a file."""
