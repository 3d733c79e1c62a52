"""Provenance in the formats others read: W3C PROV (:mod:`.prov`), schema.org ClaimReview
(:mod:`.claimreview`) and brat standoff both ways (:mod:`.brat`).

Exports read one consistent snapshot through :mod:`.dataset` and write atomically; the brat
import writes in one audited operation, all or nothing. The modules are imported on demand (the
``prov`` library is only loaded for a PROV export).
"""
