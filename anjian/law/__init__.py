"""The legal engine of anjian: pure Python, no Django, no import from the rest of ``anjian``.

Modules (spec: LEGAL.md; every rule cites its article in code or in ``rules/*.yaml``):

* :mod:`anjian.law.calendar` — working days, statutory holidays, make-up days, provisional years;
* :mod:`anjian.law.periods` — counting periods, date of service, provisional windows;
* :mod:`anjian.law.ruleset` — rule versions by effective date, rule overrides;
* :mod:`anjian.law.deadlines` — the statutory deadline catalogue, ``evaluate``, ``case_deadlines``;
* :mod:`anjian.law.catalogue` — the penalty catalogue as data (law → article → violation → clauses);
* :mod:`anjian.law.penalties` — fine ranges, discretion (default formula or a standard's cuts), §37, accidents, limitation, closure;
* :mod:`anjian.law.comparables` — the spread of comparable decisions (同案不同罚) and "far from it";
* :mod:`anjian.law.procedure` — hearing, legal review, collective discussion, summary procedure;
* :mod:`anjian.law.surcharge` — late-payment surcharge;
* :mod:`anjian.law.hazards` — major-hazard criteria catalogues;
* :mod:`anjian.law.taxonomy` — sector and feature codes;
* :mod:`anjian.law.draw` — the random draw (双随机): committed pools, a seed from public inputs, verification;
* :mod:`anjian.law.planning` — the annual plan: capacity, frequencies and caps by grade, key units, fitting, duplicates;
* :mod:`anjian.law.dishonesty` — the serious-dishonesty list grounds (11号), proposal, listing period;
* :mod:`anjian.law.errors` — ``LawError`` and its subclasses;
* :mod:`anjian.law.docgen` — generates ``docs/legal-rules.md``.
"""
