"""Reference MES: a small ISA-95 / B2MML-flavoured manufacturing execution system.

Job orders are dispatched to a site (``/api/v1/sites/{site}/job-orders``), identified by
(site, ID); their B2MML DispatchStatus moves Waiting -> Dispatched -> Running -> Completed,
or Held / Suspended / Aborted, by B2MML JobOrder commands (Start, Hold, Restart, Pause,
Resume, Abort; see ``rules``). Lots are MaterialLotIDs.
A finished lot's packaging & labelling verification is recorded once per (site, lot) at
``/api/v1/sites/{site}/lots/{lot}/packaging-verification`` (``packaging.py``).
The routers' docstrings list every endpoint; ``events.py`` the outbound webhook events;
``errors.py`` the refusal codes; ``shopfloor.py`` is a typed client for operator actions.
"""
