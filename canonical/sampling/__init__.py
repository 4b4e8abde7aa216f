"""Acceptance sampling for supplier receipts: ANSI/ASQ Z1.4 tables, switching, skip-lot.

Pure code (standard library and pydantic; only the config loader reads a file), so workflows
can import it. The saga keeps a ``SwitchingState`` per (supplier, item), takes the policy from
``load_sampling_config().policy_for(supplier, item)``, plans each received lot with
``plan_for`` and records its outcome with ``after_outcome``. Normal -> reduced follows
ANSI/ASQ Z1.4 8.3.3 with Table VIII's limit numbers (limits.py) unless a policy names ISO
2859-1's switching score. A plan with severity
"discontinued" means the supplier's lots may no longer be accepted on a sample: escalate.
"""

from canonical.sampling.config import (
    DEFAULT_SAMPLING_CONFIG,
    PairPolicy,
    PolicyLayer,
    SamplingConfig,
    load_sampling_config,
    parse_sampling_config,
)
from canonical.sampling.limits import TABLE_VIII, LimitLookup, limit_number
from canonical.sampling.plans import plan_for
from canonical.sampling.policy import ReducedRule, SamplingPolicy, SkipLotPolicy
from canonical.sampling.switching import (
    LotCount,
    SwitchingState,
    after_outcome,
    limit_numbers_met,
    resume_after_corrective_action,
)
from canonical.sampling.tables import (
    AQLS,
    CODE_LETTERS,
    LEVELS,
    Severity,
    TablePlan,
    code_letter,
    single_plan,
    standard_aql,
)

__all__ = [
    "AQLS",
    "CODE_LETTERS",
    "DEFAULT_SAMPLING_CONFIG",
    "LEVELS",
    "TABLE_VIII",
    "LimitLookup",
    "LotCount",
    "PairPolicy",
    "PolicyLayer",
    "ReducedRule",
    "SamplingConfig",
    "SamplingPolicy",
    "Severity",
    "SkipLotPolicy",
    "SwitchingState",
    "TablePlan",
    "after_outcome",
    "code_letter",
    "limit_number",
    "limit_numbers_met",
    "load_sampling_config",
    "parse_sampling_config",
    "plan_for",
    "resume_after_corrective_action",
    "single_plan",
    "standard_aql",
]
