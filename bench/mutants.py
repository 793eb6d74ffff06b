"""`make mutants`: break each rule of DOMAIN.md that has a number or a who-may, one at a time,
run the tests that should notice, and print the mutants that survived.

Each mutant is a named source edit: a pattern that must occur exactly once in its file and its
replacement. The run copies the project to a scratch folder (the working tree is never touched,
so an interrupted run leaves nothing broken), applies one mutant there, runs its tests with
`pytest -x` against a database of its own (`<DATABASE_URL name>_mutants`), restores the file and
goes on. A mutant is killed when a test fails; it survives when every test passes.

    python -m bench.mutants                 # every mutant
    python -m bench.mutants --list          # names, files and tests
    python -m bench.mutants --only NAME ... # some of them
    python -m bench.mutants --check         # every pattern still found exactly once (fast)

tests/rules/test_mutants_apply.py runs the --check in `make test`: when a refactor moves the
code a mutant breaks, that test fails and the mutant is updated with the code.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent

# Test sets, by what they look at.
COMPLAINT_RULES = ("tests/rules/test_complaint_rules.py",)
RETURN_RULES = ("tests/rules/test_return_rules.py",)
COMPENSATION_RULES = (
    "tests/rules/test_compensation_rules.py",
    "tests/compensations/test_compensation_approval.py",
    "tests/compensations/test_compensation_proposal.py",
    "tests/compensations/test_compensation_payout.py",
)
MERCHANT_RULES = (
    "tests/rules/test_merchant_rules.py",
    "tests/merchants/test_merchant_transitions.py",
    "tests/merchants/test_inspections.py",
    "tests/merchants/test_deposit_ledger.py",
    "tests/merchants/test_deposit_hold_task.py",
)
CALLBACK_RULES = (
    "tests/rules/test_callback_rules.py",
    "tests/followups/test_callback_outcomes.py",
    "tests/followups/test_scheduling.py",
)
SETTINGS = ("tests/rules/test_settings_boundaries.py",)
WEEKLY = ("tests/rules/test_weekly_figures.py", "tests/reports/test_weekly_report.py")
APPRAISAL = ("tests/reports/test_appraisal.py",)
STAFF_COMPLAINTS = ("tests/complaints/test_staff_complaints.py",)
ISOLATION = ("tests/servicedesk/test_mall_scoping.py",)
EXCHANGE_RULES = "tests/rules/test_exchange_rules.py"
OUTSIDE_RULES = "tests/rules/test_warranty_and_outside_numbers.py"


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    pattern: str
    replacement: str
    tests: tuple
    rule: str = ""


M = Mutant
MUTANTS = [
    # --- Who may (roles) ---------------------------------------------------------------------
    M(
        "complaint-officer-may-close",
        "complaints/models/transitions.py",
        "(S.CALLED_BACK, A.CLOSE): (S.CLOSED, SUPERVISOR),",
        "(S.CALLED_BACK, A.CLOSE): (S.CLOSED, OFFICER),",
        ("tests/rules/test_complaint_rules.py::test_each_action_in_each_state_for_each_role[close]",),
        "§2 close: supervisor",
    ),
    M(
        "complaint-officer-may-assign",
        "complaints/models/transitions.py",
        "(S.REGISTERED, A.ASSIGN): (S.ASSIGNED, SUPERVISOR),",
        "(S.REGISTERED, A.ASSIGN): (S.ASSIGNED, OFFICER),",
        ("tests/rules/test_complaint_rules.py::test_each_action_in_each_state_for_each_role[assign]",),
        "§2 assign: supervisor",
    ),
    M(
        "complaint-officer-may-not-accept",
        "complaints/models/transitions.py",
        "(S.ASSIGNED, A.NOT_ACCEPT): (S.NOT_ACCEPTED, SUPERVISOR),",
        "(S.ASSIGNED, A.NOT_ACCEPT): (S.NOT_ACCEPTED, OFFICER),",
        ("tests/rules/test_complaint_rules.py::test_each_action_in_each_state_for_each_role[not_accept]",),
        "§2 not accept: supervisor",
    ),
    M(
        "complaint-clerk-may-register",
        "complaints/models/transitions.py",
        "DESK = (Role.FRONT_DESK, Role.COMPLAINT_OFFICER)",
        "DESK = (Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.CLERK)",
        ("tests/rules/test_complaint_rules.py::test_register_is_for_front_desk_and_officers_only",),
        "§2 register: front desk, officer",
    ),
    M(
        "complaint-desk-may-escalate",
        "complaints/models/transitions.py",
        "**{(s, A.ESCALATE): (S.ESCALATED, OFFICER) for s in _WORKING},",
        "**{(s, A.ESCALATE): (S.ESCALATED, (*OFFICER, Role.FRONT_DESK)) for s in _WORKING},",
        ("tests/rules/test_complaint_rules.py::test_each_action_in_each_state_for_each_role[escalate]",),
        "§2 escalate: officer",
    ),
    M(
        "complaint-close-from-proposed",
        "complaints/models/transitions.py",
        "(S.RESOLVED, A.CLOSE): (S.CLOSED, SUPERVISOR),",
        "(S.RESOLVED, A.CLOSE): (S.CLOSED, SUPERVISOR),\n    (S.PROPOSED, A.CLOSE): (S.CLOSED, SUPERVISOR),",
        ("tests/rules/test_complaint_rules.py::test_each_action_in_each_state_for_each_role[close]",),
        "§2 close needs a result and a callback: not from proposed",
    ),
    M(
        "return-desk-may-approve",
        "returns/models.py",
        "(S.CHECKED, A.APPROVE): (S.APPROVED, DECIDERS),",
        "(S.CHECKED, A.APPROVE): (S.APPROVED, DESK),",
        ("tests/rules/test_return_rules.py::test_each_action_in_each_state_for_each_role[approve]",),
        "§3 approval: supervisor",
    ),
    M(
        "return-desk-may-refund",
        "returns/models.py",
        "(S.INTACT, A.REFUND): (S.REFUNDED, DECIDERS),",
        "(S.INTACT, A.REFUND): (S.REFUNDED, DESK),",
        ("tests/rules/test_return_rules.py::test_each_action_in_each_state_for_each_role[refund]",),
        "§3 refund decided by supervisor/manager",
    ),
    M(
        "return-supervisor-may-override",
        "returns/services/flow.py",
        "if not has_role(actor, r.mall_id, Role.MANAGER):",
        "if not has_role(actor, r.mall_id, Role.MANAGER, Role.SUPERVISOR):",
        ("tests/rules/test_return_rules.py::test_register_merchant_reply_and_override_by_role",),
        "§3 a manager may override",
    ),
    M(
        "return-registrar-may-decide",
        "returns/services/flow.py",
        "if actor.pk == r.registered_by_id:",
        "if False:",
        ("tests/rules/test_return_rules.py::test_the_registrar_never_decides",),
        "§3 the approver is never the registrar",
    ),
    M(
        "compensation-proposer-may-approve",
        "compensations/services/approval.py",
        "if actor.pk == compensation.proposed_by_id:",
        "if False:",
        ("tests/rules/test_compensation_rules.py::test_the_proposer_never_approves",),
        "§4 the proposer never approves",
    ),
    M(
        "compensation-head-office-signs-manager-tier",
        "compensations/models/policy.py",
        "Tier.MANAGER: (Role.MANAGER,),",
        "Tier.MANAGER: (Role.MANAGER, Role.HEAD_OFFICE),",
        ("tests/rules/test_compensation_rules.py::test_who_may_sign_each_step_of_the_chain",),
        "§4 up to 5,000 the mall manager",
    ),
    M(
        "compensation-manager-signs-general-manager-tier",
        "compensations/models/policy.py",
        "Tier.GENERAL_MANAGER: (Role.HEAD_OFFICE,),",
        "Tier.GENERAL_MANAGER: (Role.HEAD_OFFICE, Role.MANAGER),",
        ("tests/rules/test_compensation_rules.py::test_who_may_sign_each_step_of_the_chain",),
        "§4 up to 50,000 the general manager (head-office approver)",
    ),
    M(
        "compensation-head-office-may-pay",
        "compensations/models/transitions.py",
        "PAYERS = (Role.CLERK, Role.MANAGER)",
        "PAYERS = (Role.CLERK, Role.MANAGER, Role.HEAD_OFFICE)",
        ("tests/rules/test_compensation_rules.py::test_who_may_pay_and_nothing_before_the_final_approval",),
        "payout by the clerk or manager",
    ),
    M(
        "compensation-clerk-may-write-off",
        "compensations/models/transitions.py",
        "WRITERS_OFF = (Role.MANAGER,)",
        "WRITERS_OFF = (Role.MANAGER, Role.CLERK)",
        ("tests/rules/test_compensation_rules.py::test_recovery_write_off_and_close_by_role",),
        "write-off by the manager",
    ),
    M(
        "compensation-desk-may-propose",
        "compensations/models/transitions.py",
        "PROPOSERS = (Role.COMPLAINT_OFFICER, Role.SUPERVISOR)",
        "PROPOSERS = (Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.FRONT_DESK)",
        ("tests/rules/test_compensation_rules.py::test_who_may_propose",),
        "proposal by officer or supervisor",
    ),
    M(
        "compensation-final-after-the-first-signature",
        "compensations/services/approval.py",
        "elif last:",
        "elif True:",
        ("tests/rules/test_compensation_rules.py::test_who_may_pay_and_nothing_before_the_final_approval",),
        "§9 nothing paid before final approval",
    ),
    M(
        "merchant-clerk-may-verify",
        "merchants/models/registry.py",
        "(S.APPLIED, A.VERIFY): (S.VERIFIED, (Role.MANAGER,)),",
        "(S.APPLIED, A.VERIFY): (S.VERIFIED, (Role.MANAGER, Role.CLERK)),",
        ("tests/rules/test_merchant_rules.py::test_each_step_in_each_state_for_each_role[verify]",),
        "§5 the manager verifies",
    ),
    M(
        "merchant-clerk-may-release-deposit",
        "merchants/models/registry.py",
        "(S.EXITED, A.RELEASE_DEPOSIT): (S.DEPOSIT_RELEASED, (Role.MANAGER,)),",
        "(S.EXITED, A.RELEASE_DEPOSIT): (S.DEPOSIT_RELEASED, (Role.MANAGER, Role.CLERK)),",
        ("tests/rules/test_merchant_rules.py::test_each_step_in_each_state_for_each_role[release_deposit]",),
        "§5 deposit release by the manager",
    ),
    M(
        "callback-desk-may-call",
        "followups/models/callbacks.py",
        "CALLBACK_STAFF = (Role.COMPLAINT_OFFICER, Role.SUPERVISOR)",
        "CALLBACK_STAFF = (Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.FRONT_DESK)",
        ("tests/rules/test_callback_rules.py::test_each_outcome_in_each_state_for_each_role",),
        "§6 callbacks by officers",
    ),
    M(
        "callback-officer-may-reassign",
        "followups/services/outcomes.py",
        "require_role(actor, callback.mall, Role.SUPERVISOR)",
        "require_role(actor, callback.mall, Role.SUPERVISOR, Role.COMPLAINT_OFFICER)",
        ("tests/rules/test_callback_rules.py::test_only_a_supervisor_reassigns",),
        "reassigning a callback: supervisor",
    ),
    M(
        "staff-complaint-supervisor-may-sign-off",
        "complaints/models/transitions.py",
        "(SS.ANSWERED, StaffAction.SIGN_OFF): (SS.SIGNED_OFF, (Role.MANAGER,)),",
        "(SS.ANSWERED, StaffAction.SIGN_OFF): (SS.SIGNED_OFF, (Role.MANAGER, Role.SUPERVISOR)),",
        ("tests/rules/test_complaint_rules.py::test_phone_complaints_about_staff_by_role",),
        "§2 staff complaints: manager sign-off",
    ),
    # --- Isolation (another mall's record) ------------------------------------------------------
    M(
        "roles-count-in-every-mall",
        "servicedesk/access.py",
        "if m_id is None or m_id == mall_id}",
        "if True}",
        ("tests/rules/test_complaint_rules.py::test_each_action_in_each_state_for_each_role[acknowledge]",),
        "a role is held per mall",
    ),
    M(
        "lists-show-every-mall",
        "servicedesk/models.py",
        'return self.filter(**{f"{self.mall_lookup}__in": mall_ids})',
        "return self",
        ("tests/servicedesk/test_mall_scoping.py",),
        "another mall's record is 404",
    ),
    M(
        "complaint-booth-of-another-mall",
        "complaints/services/handling.py",
        "if booth.mall_id != complaint.mall_id:",
        "if False:",
        ("tests/rules/test_complaint_rules.py::test_the_merchant_identified_is_one_of_this_mall",),
        "a booth of this mall",
    ),
    M(
        "return-merchant-of-another-mall",
        "returns/services/flow.py",
        "if merchant is not None and merchant.mall_id != mall.pk:",
        "if False:",
        ("tests/returns/test_return_flow.py::test_another_malls_merchant_is_refused",),
        "a merchant of this mall",
    ),
    # --- Complaint clocks (per-mall settings) ---------------------------------------------------
    M(
        "first-contact-25-hours",
        "complaints/models/complaint.py",
        '_("first contact within (hours)"), default=24',
        '_("first contact within (hours)"), default=25',
        SETTINGS,
        "§2 acknowledge within 24 h",
    ),
    M(
        "assignment-2-working-days",
        "complaints/models/complaint.py",
        '_("assignment within (working days)"), default=1',
        '_("assignment within (working days)"), default=2',
        SETTINGS,
        "§2 assign within 1 WD",
    ),
    M(
        "merchant-reply-6-days",
        "complaints/models/complaint.py",
        '_("merchant reply within (days)"), default=5',
        '_("merchant reply within (days)"), default=6',
        SETTINGS,
        "§2 merchant answers within 5 days",
    ),
    M(
        "resolution-8-days",
        "complaints/models/complaint.py",
        '_("resolution within (days)"), default=7',
        '_("resolution within (days)"), default=8',
        SETTINGS,
        "§2 resolution target 7 days",
    ),
    M(
        "deliberate-delay-16-days",
        "complaints/models/complaint.py",
        '_("deliberate-delay line (days)"), default=15',
        '_("deliberate-delay line (days)"), default=16',
        SETTINGS,
        "§1/§2 open more than 15 days",
    ),
    M(
        "escalation-after-12-days",
        "complaints/services/endings.py",
        "if complaint.received_at <= now - timedelta(days=policy.deliberate_delay_days):",
        "if complaint.received_at <= now - timedelta(days=policy.deliberate_delay_days - 3):",
        SETTINGS,
        "§2 escalate when open more than 15 days",
    ),
    M(
        "referral-8-working-days",
        "complaints/models/complaint.py",
        '_("12315/12345 referral deadline (working days)"), default=7',
        '_("12315/12345 referral deadline (working days)"), default=8',
        SETTINGS,
        "§1 referral deadline 7 WD",
    ),
    M(
        "complaint-callback-4-days",
        "complaints/models/complaint.py",
        '_("callback within (days) of resolution"), default=3',
        '_("callback within (days) of resolution"), default=4',
        SETTINGS,
        "§2 call back within 3 days",
    ),
    M(
        "reopen-31-days",
        "complaints/models/complaint.py",
        '_("reopening window (days after resolution)"), default=30',
        '_("reopening window (days after resolution)"), default=31',
        SETTINGS,
        "§2 reopened within 30 days",
    ),
    M(
        "repeat-31-days",
        "complaints/models/complaint.py",
        '_("repeat-complaint window (days)"), default=30',
        '_("repeat-complaint window (days)"), default=31',
        SETTINGS,
        "§8 repeat: same customer and order within 30 days",
    ),
    M(
        "close-after-2-failed-callbacks",
        "complaints/services/endings.py",
        "callback.failed_attempts >= attempts)",
        "callback.failed_attempts >= attempts - 1)",
        SETTINGS,
        "§2 close after 3 failed attempts",
    ),
    # --- Returns ----------------------------------------------------------------------------
    M(
        "return-window-8-days",
        "returns/models.py",
        '_("return window (days)"), default=7',
        '_("return window (days)"), default=8',
        ("tests/rules/test_return_rules.py::test_the_window_is_seven_days_from_the_day_after_delivery",),
        "§3 window 7 days",
    ),
    M(
        "return-window-counted-from-the-day",
        "returns/eligibility.py",
        "last_day = start + timedelta(days=policy.window_days)",
        "last_day = start + timedelta(days=policy.window_days - 1)",
        ("tests/rules/test_return_rules.py::test_the_window_is_seven_days_from_the_day_after_delivery",),
        "§3 counted from the day after delivery",
    ),
    M(
        "return-manager-above-25000",
        "returns/models.py",
        'default=Decimal("20000.00"),',
        'default=Decimal("25000.00"),',
        ("tests/rules/test_return_rules.py::test_above_20000_yuan_only_the_manager_decides",),
        "§3 manager above 20,000",
    ),
    M(
        "return-refund-8-days",
        "returns/models.py",
        '_("refund within (days of receiving the goods)"), default=7',
        '_("refund within (days of receiving the goods)"), default=8',
        SETTINGS,
        "§3 refund within 7 days",
    ),
    M(
        "return-delay-16-days",
        "returns/models.py",
        '_("deliberate-delay line (days)"), default=15)',
        '_("deliberate-delay line (days)"), default=16)',
        SETTINGS,
        "§3 more than 15 days is deliberate delay",
    ),
    M(
        "return-repackaging-4-percent",
        "returns/models.py",
        'default=Decimal("3.00"),',
        'default=Decimal("4.00"),',
        ("tests/rules/test_return_rules.py::test_repackaging_is_at_most_three_percent",),
        "§3 at most 3% repackaging",
    ),
    # --- Advance compensation ---------------------------------------------------------------
    M(
        "compensation-manager-limit-6000",
        "compensations/models/policy.py",
        'default=Decimal("5000.00"),',
        'default=Decimal("6000.00"),',
        ("tests/rules/test_compensation_rules.py::test_approval_tiers_at_their_limits",),
        "§4 up to 5,000 the manager",
    ),
    M(
        "compensation-general-manager-limit-60000",
        "compensations/models/policy.py",
        'default=Decimal("50000.00"),',
        'default=Decimal("60000.00"),',
        ("tests/rules/test_compensation_rules.py::test_approval_tiers_at_their_limits",),
        "§4 up to 50,000 the general manager",
    ),
    M(
        "compensation-tier-at-the-limit",
        "compensations/models/policy.py",
        "if amount > self.manager_limit:",
        "if amount >= self.manager_limit:",
        ("tests/rules/test_compensation_rules.py::test_approval_tiers_at_their_limits",),
        "§4 up to (and including) 5,000",
    ),
    M(
        "compensation-pay-within-4-working-days",
        "compensations/models/policy.py",
        '_("pay within (working days) of the final approval"), default=3',
        '_("pay within (working days) of the final approval"), default=4',
        ("tests/rules/test_compensation_rules.py::test_payment_is_due_three_working_days_after_the_final_approval",),
        "§4 payment within 3 WD",
    ),
    # --- Merchants --------------------------------------------------------------------------
    M(
        "deposit-held-7-months",
        "merchants/models/registry.py",
        '_("deposit held after exit (months)"), default=6',
        '_("deposit held after exit (months)"), default=7',
        ("tests/rules/test_merchant_rules.py::test_the_deposit_is_held_six_months_after_exit",),
        "§5 deposit held 6 months",
    ),
    M(
        "deposit-top-up-11-days",
        "merchants/models/registry.py",
        '_("days to top up the deposit"), default=10',
        '_("days to top up the deposit"), default=11',
        ("tests/rules/test_compensation_rules.py::test_recovery_write_off_and_close_by_role",),
        "§4 top up within 10 days",
    ),
    M(
        "inspection-coverage-11-percent",
        "merchants/models/registry.py",
        'default=Decimal("10.00"),',
        'default=Decimal("11.00"),',
        (
            "tests/rules/test_merchant_rules.py::test_ten_percent_exactly_meets_the_line",
            "tests/rules/test_merchant_rules.py::test_at_least_ten_percent_of_booths_a_week",
        ),
        "§5 at least 10% of booths a week",
    ),
    M(
        "price-tag-fix-25-hours",
        "merchants/models/registry.py",
        '_("hours to fix a price-tag failure"), default=24',
        '_("hours to fix a price-tag failure"), default=25',
        ("tests/rules/test_merchant_rules.py::test_a_failure_is_fixed_within_24_hours",),
        "§5 fix within 24 h",
    ),
    M(
        "flag-after-3-failures",
        "merchants/models/registry.py",
        '_("failures that flag a merchant"), default=2',
        '_("failures that flag a merchant"), default=3',
        ("tests/rules/test_merchant_rules.py::test_two_failures_within_30_days_flag_the_merchant",),
        "§5 two failures flag",
    ),
    M(
        "flag-window-31-days",
        "merchants/models/registry.py",
        '_("... within days"), default=30',
        '_("... within days"), default=31',
        ("tests/rules/test_merchant_rules.py::test_two_failures_within_30_days_flag_the_merchant",),
        "§5 within 30 days",
    ),
    # --- Callbacks --------------------------------------------------------------------------
    M(
        "after-sale-callback-8-days",
        "followups/models/callbacks.py",
        '_("after-sale: call within (days of delivery)"), default=7',
        '_("after-sale: call within (days of delivery)"), default=8',
        CALLBACK_RULES,
        "§6 within 7 days of delivery",
    ),
    M(
        "warranty-callback-31-days-before",
        "followups/models/callbacks.py",
        '_("warranty: call (days before the end)"), default=30',
        '_("warranty: call (days before the end)"), default=31',
        CALLBACK_RULES,
        "§6 30 days before the warranty ends",
    ),
    M(
        "service-callback-4-days",
        # The days are the complaint policy's callback_days (one setting, complaint-callback-4-days
        # breaks its default); this breaks the service callback's reading of it.
        "followups/services/scheduling.py",
        "days = {mall_id: policy.callback_days for",
        "days = {mall_id: policy.callback_days + 1 for",
        CALLBACK_RULES,
        "§6 3 days after resolution",
    ),
    M(
        "home-visit-over-25000",
        "followups/models/callbacks.py",
        'max_digits=10, decimal_places=2, default=Decimal("20000")',
        'max_digits=10, decimal_places=2, default=Decimal("25000")',
        CALLBACK_RULES,
        "§6 home visit for claims over 20,000",
    ),
    M(
        "callback-4-attempts",
        "followups/models/callbacks.py",
        '_("attempts allowed"), default=3',
        '_("attempts allowed"), default=4',
        CALLBACK_RULES,
        "§6 at most 3 attempts",
    ),
    M(
        "callback-attempts-over-3-days",
        "followups/models/callbacks.py",
        '_("attempts within (days of the first)"), default=2',
        '_("attempts within (days of the first)"), default=3',
        CALLBACK_RULES,
        "§6 over 2 days",
    ),
    # --- Exchanges and the driver's stops for them (§8b, §1) -------------------------------------
    M(
        "exchange-desk-may-override",
        "exchanges/models.py",
        "(S.MERCHANT_REFUSED, A.OVERRIDE): (S.CONFIRMED, DECIDERS),",
        "(S.MERCHANT_REFUSED, A.OVERRIDE): (S.CONFIRMED, DESK),",
        (f"{EXCHANGE_RULES}::test_only_the_supervisor_or_manager_upholds_or_overrides_a_merchants_refusal",),
        "§8b a merchant's refusal is overridden by the supervisor or manager",
    ),
    M(
        "exchange-desk-may-uphold-refusal",
        "exchanges/models.py",
        "(S.MERCHANT_REFUSED, A.REFUSE): (S.REFUSED, DECIDERS),",
        "(S.MERCHANT_REFUSED, A.REFUSE): (S.REFUSED, DESK),",
        (f"{EXCHANGE_RULES}::test_only_the_supervisor_or_manager_upholds_or_overrides_a_merchants_refusal",),
        "§8b a merchant's refusal is upheld by the supervisor or manager",
    ),
    M(
        "exchange-override-without-a-refusal",
        "exchanges/models.py",
        "(S.REQUESTED, A.REFUSE): (S.REFUSED, DECIDERS),",
        "(S.REQUESTED, A.REFUSE): (S.REFUSED, DECIDERS),\n        (S.REQUESTED, A.OVERRIDE): (S.CONFIRMED, DECIDERS),",
        (f"{EXCHANGE_RULES}::test_the_decision_is_only_on_a_refusal_by_the_merchant",),
        "§8b the merchant confirms; the mall overrides only its refusal",
    ),
    M(
        "exchange-delay-16-days",
        "exchanges/models.py",
        '_("deliberate-delay line (days from the request)"),\n        default=15,',
        '_("deliberate-delay line (days from the request)"),\n        default=16,',
        (f"{EXCHANGE_RULES}::test_the_delay_line_is_15_days_from_the_request",),
        "§1 more than 15 days is deliberate delay (ExchangePolicy.delay_days)",
    ),
    M(
        "exchange-delay-from-the-request-day",
        "exchanges/services/reminders.py",
        "if today <= e.requested_on + timedelta(days=days):",
        "if today < e.requested_on + timedelta(days=days):",
        (f"{EXCHANGE_RULES}::test_the_delay_line_is_15_days_from_the_request",),
        "§1 more than 15 days (day 15 is not late)",
    ),
    M(
        "driver-marks-another-drivers-stop",
        "drivers/services.py",
        "if run.driver_id != actor.pk or not has_role(actor, run.mall, Role.DRIVER):",
        "if not has_role(actor, run.mall, Role.DRIVER):",
        (f"{EXCHANGE_RULES}::test_only_the_runs_own_driver_marks_its_stop",),
        "only the run's driver marks its stops",
    ),
    M(
        "driver-picks-up-before-settled",
        "drivers/services.py",
        "if task == StopTask.EXCHANGE_PICK_UP and exchange.status != ExchangeStatus.SETTLED:",
        "if task == StopTask.EXCHANGE_PICK_UP and exchange.status not in (ExchangeStatus.SETTLED, "
        "ExchangeStatus.REPLACEMENT_AGREED):",
        (f"{EXCHANGE_RULES}::test_the_old_goods_are_picked_up_only_once_the_difference_is_settled",),
        "§8b old goods picked up once the difference is settled",
    ),
    M(
        "driver-delivers-before-pick-up",
        "drivers/services.py",
        "if exchange.status != ExchangeStatus.PICKED_UP and not picked_up_before:",
        "if exchange.status not in (ExchangeStatus.PICKED_UP, ExchangeStatus.SETTLED):",
        (f"{EXCHANGE_RULES}::test_the_new_goods_are_delivered_only_after_the_old_are_picked_up",),
        "§8b new goods delivered after the old are picked up",
    ),
    M(
        "driver-delivers-after-another-runs-pick-up",
        "drivers/services.py",
        "and open_stops.filter(run=run, task=StopTask.EXCHANGE_PICK_UP).exists()",
        "and open_stops.filter(task=StopTask.EXCHANGE_PICK_UP).exists()",
        (f"{EXCHANGE_RULES}::test_the_new_goods_are_delivered_only_after_the_old_are_picked_up",),
        "§8b new goods delivered after the old: this run's own pick-up stop",
    ),
    # --- The furniture warranty and the fraud figure (§1) ------------------------------------------
    M(
        "warranty-full-remedy-91-days",
        "knowledge/models.py",
        '_("return, exchange or repair within (days of acceptance)"),\n        default=90,',
        '_("return, exchange or repair within (days of acceptance)"),\n        default=91,',
        (f"{OUTSIDE_RULES}::test_the_warranty_periods_from_the_day_after_delivery",),
        "§1 within 90 days free return, exchange or repair",
    ),
    M(
        "warranty-exchange-181-days",
        "knowledge/models.py",
        '_("exchange or repair within (days of acceptance)"),\n        default=180,',
        '_("exchange or repair within (days of acceptance)"),\n        default=181,',
        (f"{OUTSIDE_RULES}::test_the_warranty_periods_from_the_day_after_delivery",),
        "§1 within 180 days repair or exchange",
    ),
    M(
        "warranty-counted-from-delivery-day",
        "knowledge/advisor.py",
        "elif day <= policy.full_remedy_days:",
        "elif day < policy.full_remedy_days:",
        (f"{OUTSIDE_RULES}::test_the_warranty_periods_from_the_day_after_delivery",),
        "§1 periods counted from the day after delivery (day 90 is within 90 days)",
    ),
    M(
        "warranty-13-months",
        "knowledge/models.py",
        '_("furniture warranty (months)"), default=12,',
        '_("furniture warranty (months)"), default=13,',
        (f"{OUTSIDE_RULES}::test_the_warranty_is_12_months",),
        "§1 furniture warranty at least 12 months",
    ),
    M(
        "warranty-3-failed-repairs",
        "knowledge/models.py",
        '_("failed repairs of the same defect that give exchange or return"),\n        default=2,',
        '_("failed repairs of the same defect that give exchange or return"),\n        default=3,',
        (f"{OUTSIDE_RULES}::test_two_failed_repairs_or_more_than_30_days_in_repair_give_exchange_or_return",),
        "§1 two failed repairs give exchange or return",
    ),
    M(
        "warranty-30-days-in-repair-is-enough",
        "knowledge/advisor.py",
        "if in_warranty and facts.days_in_repair > policy.repair_days:",
        "if in_warranty and facts.days_in_repair >= policy.repair_days:",
        (f"{OUTSIDE_RULES}::test_two_failed_repairs_or_more_than_30_days_in_repair_give_exchange_or_return",),
        "§1 more than 30 days in repair",
    ),
    M(
        "fraud-floor-400",
        "knowledge/advisor.py",
        'FRAUD_MINIMUM = Decimal("500.00")',
        'FRAUD_MINIMUM = Decimal("400.00")',
        (f"{OUTSIDE_RULES}::test_the_fraud_reference_figure",),
        "§1 fraud reference max(3 x price, 500)",
    ),
    M(
        "fraud-twice-the-price",
        "knowledge/advisor.py",
        "FRAUD_MULTIPLE = Decimal(3)",
        "FRAUD_MULTIPLE = Decimal(2)",
        (f"{OUTSIDE_RULES}::test_the_fraud_reference_figure",),
        "§1 fraud reference max(3 x price, 500)",
    ),
    # --- Outside parties (§8a) ------------------------------------------------------------------
    M(
        "customer-link-60-days",
        "portal/models.py",
        "default=90,",
        "default=60,",
        (f"{OUTSIDE_RULES}::test_a_customer_link_lasts_90_days_after_the_case_ends",),
        "§8a a link is valid until 90 days after the case ends",
    ),
    M(
        "sms-quiet-from-22",
        "sms/models.py",
        'quiet_from = models.TimeField(_("no SMS from"), default=time(21, 0))',
        'quiet_from = models.TimeField(_("no SMS from"), default=time(22, 0))',
        (f"{OUTSIDE_RULES}::test_no_sms_from_21_to_8",),
        "§8a no SMS 21:00-08:00",
    ),
    M(
        "intake-code-valid-6-minutes",
        "portal/intake.py",
        "CODE_VALID = timedelta(minutes=5)",
        "CODE_VALID = timedelta(minutes=6)",
        (f"{OUTSIDE_RULES}::test_a_code_is_valid_5_minutes",),
        "§8a a code is valid 5 minutes",
    ),
    M(
        "intake-code-6-tries",
        "portal/intake.py",
        "CODE_TRIES = 5",
        "CODE_TRIES = 6",
        (f"{OUTSIDE_RULES}::test_a_code_takes_5_tries",),
        "§8a 5 tries",
    ),
    M(
        "intake-6-codes-per-mobile",
        "portal/intake.py",
        "CODES_PER_MOBILE_PER_HOUR = 5",
        "CODES_PER_MOBILE_PER_HOUR = 6",
        (f"{OUTSIDE_RULES}::test_at_most_5_codes_per_mobile_an_hour",),
        "§8a at most 5 codes per mobile per hour",
    ),
    M(
        "intake-25-codes-per-address",
        "portal/intake.py",
        "CODES_PER_ADDRESS_PER_HOUR = 20",
        "CODES_PER_ADDRESS_PER_HOUR = 25",
        (f"{OUTSIDE_RULES}::test_at_most_20_codes_per_address_an_hour",),
        "§8a at most 20 codes per address per hour",
    ),
    # --- Weekly report figures --------------------------------------------------------------
    M(
        "on-time-rate-over-received",
        "reports/weekly.py",
        'f["on_time_rate"] = _rate(f["closed_on_time"], f["ended_resolved"])',
        'f["on_time_rate"] = _rate(f["closed_on_time"], f["received"])',
        WEEKLY,
        "§8 on-time rate over complaints closed",
    ),
    M(
        "average-days-in-hours",
        "reports/weekly.py",
        'round(Decimal(f["close_time"].total_seconds()) / 86400 / f["ended_resolved"], 1)',
        'round(Decimal(f["close_time"].total_seconds()) / 3600 / f["ended_resolved"], 1)',
        WEEKLY,
        "§8 average days to close",
    ),
    M(
        "recovery-rate-of-money-received",
        "reports/weekly.py",
        'f["recovery_rate"] = _rate(f["compensation_recovered_amount"], f["compensation_paid_amount"])',
        'f["recovery_rate"] = _rate(f["recovered_in_period"], f["compensation_paid_amount"])',
        WEEKLY,
        "§8 recovery rate: recovered so far of the period's payouts",
    ),
    M(
        "closure-rate-over-received",
        "reports/weekly.py",
        'f["closure_rate"] = _rate(f["closed"], f["carried_in"] + f["received"])',
        'f["closure_rate"] = _rate(f["closed"], f["received"])',
        WEEKLY,
        "§8 closure rate C / (O0 + R)",
    ),
    M(
        "closed-counts-only-closed",
        "reports/weekly.py",
        'closed=Count("pk", filter=ended),',
        'closed=Count("pk", filter=ended & Q(status=ComplaintStatus.CLOSED)),',
        WEEKLY,
        "§8 C counts every ending",
    ),
    M(
        "overdue-after-12-days",
        "reports/weekly.py",
        "lambda days: Q(received_at__lt=end - timedelta(days=days)))",
        "lambda days: Q(received_at__lt=end - timedelta(days=days - 3)))",
        WEEKLY,
        "§8 overdue: open over 15 days",
    ),
    M(
        "external-by-received-time",
        "reports/weekly.py",
        'external=Count("pk", filter=_in("referred_at", period)),',
        'external=Count("pk", filter=received & ~Q(external_body="")),',
        WEEKLY,
        "§8 external escalations in the week of the referral",
    ),
    M(
        "callback-rate-reached-over-due",
        "reports/weekly.py",
        'f["callback_rate"] = _rate(f["callbacks_done"], f["callbacks_due"])',
        'f["callback_rate"] = _rate(f["callbacks_reached"], f["callbacks_due"])',
        WEEKLY,
        "§8 callback rate K / D",
    ),
    M(
        "satisfaction-over-done",
        "reports/weekly.py",
        'f["satisfaction_rate"] = _rate(f["callbacks_satisfied"], f["callbacks_reached"])',
        'f["satisfaction_rate"] = _rate(f["callbacks_satisfied"], f["callbacks_done"])',
        WEEKLY,
        "§8 satisfaction over K'",
    ),
    M(
        "tag-pass-rate-of-failures",
        "reports/weekly.py",
        'f["tag_pass_rate"] = _rate(f["tags_checked"] - f["tags_failed"], f["tags_checked"])',
        'f["tag_pass_rate"] = _rate(f["tags_failed"], f["tags_checked"])',
        WEEKLY,
        "§8 price-tag pass rate",
    ),
    M(
        "top-4-merchants",
        "reports/weekly.py",
        "TOP_MERCHANTS = 5",
        "TOP_MERCHANTS = 4",
        WEEKLY,
        "§8 top 5 merchants",
    ),
    M(
        "returns-approved-by-request-date",
        "reports/weekly.py",
        'returns_approved=Count("pk", filter=decided & Q(refusal_reason="")),',
        'returns_approved=Count("pk", filter=requested & Q(refusal_reason="")),',
        WEEKLY,
        "§8 returns approved in the week",
    ),
    M(
        "appraisal-excellent-from-85",
        "reports/appraisal.py",
        'GRADES = ((90, _("Excellent")),',
        'GRADES = ((85, _("Excellent")),',
        APPRAISAL,
        "§8 90+ excellent",
    ),
]


def check(mutants=MUTANTS, root=ROOT):
    """Problems: a pattern not found exactly once, a name used twice, a test path missing."""
    problems = []
    names = [m.name for m in mutants]
    for name in {n for n in names if names.count(n) > 1}:
        problems.append(f"{name}: name used twice")
    for m in mutants:
        path = root / m.file
        if not path.exists():
            problems.append(f"{m.name}: {m.file} does not exist")
            continue
        found = path.read_text(encoding="utf-8").count(m.pattern)
        if found != 1:
            problems.append(f"{m.name}: pattern found {found} times in {m.file}: {m.pattern!r}")
        for test in m.tests:
            if not (root / test.split("::")[0]).exists():
                problems.append(f"{m.name}: test path {test} does not exist")
    return problems


def _mutants_database(url):
    """The same server, a database of the run's own: the test databases of a developer's
    `make test` are never touched."""
    if not url:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_mutants"))


def _copy_project(target):
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        source = ROOT / os.fsdecode(name)
        if source.is_file():
            destination = target / os.fsdecode(name)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


def run(mutants, *, workers="0", verbose=False):
    env = dict(os.environ)
    env["DATABASE_URL"] = _mutants_database(env.get("DATABASE_URL", ""))
    results = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mutants-") as scratch:
        work = Path(scratch)
        _copy_project(work)
        for index, m in enumerate(mutants, 1):
            path = work / m.file
            original = path.read_text(encoding="utf-8")
            path.write_text(original.replace(m.pattern, m.replacement, 1), encoding="utf-8")
            command = [
                sys.executable,
                "-m",
                "pytest",
                "-x",
                "-q",
                "-p",
                "no:cacheprovider",
                "--reuse-db",
                "-n",
                workers,
                *m.tests,
            ]
            began = time.monotonic()
            try:
                done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, check=False)  # noqa: S603
            finally:
                path.write_text(original, encoding="utf-8")
            seconds = time.monotonic() - began
            # pytest: 0 all passed (survived), 1 a test failed (killed), anything else an error
            # (collection or import broke: the mutant is noticed, loudly).
            verdict = {0: "SURVIVED", 1: "killed"}.get(done.returncode, f"error({done.returncode})")
            results.append((m, verdict, seconds))
            print(f"[{index:>2}/{len(mutants)}] {verdict:<9} {seconds:6.1f}s  {m.name}", flush=True)
            if verbose or done.returncode not in (0, 1):
                print(done.stdout[-3000:], done.stderr[-2000:], sep="\n")
    total = time.monotonic() - started
    survivors = [m for m, verdict, _s in results if verdict == "SURVIVED"]
    killed = len(results) - len(survivors)
    print(f"\n{len(results)} mutants, {killed} killed, {len(survivors)} survived, {total / 60:.1f} min")
    for m in survivors:
        print(f"  SURVIVED {m.name}: {m.file} ({m.rule}); tests: {' '.join(m.tests)}")
    return survivors


def _stop(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")  # unwinds: the file is restored, the copy removed


def main(argv=None):
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="list the mutants")
    parser.add_argument("--check", action="store_true", help="every pattern found exactly once")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these mutants")
    parser.add_argument("--workers", default="0", help="pytest-xdist workers per mutant (default 0)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show each run's output")
    args = parser.parse_args(argv)
    problems = check()
    if args.check or problems:
        for problem in problems:
            print(problem)
        print(f"{len(MUTANTS)} mutants, {len(problems)} problems")
        return 1 if problems else 0
    if args.list:
        for m in MUTANTS:
            print(f"{m.name:<48} {m.file:<40} {' '.join(m.tests)}")
        return 0
    chosen = MUTANTS
    if args.only:
        unknown = set(args.only) - {m.name for m in MUTANTS}
        if unknown:
            parser.error(f"no such mutants: {', '.join(sorted(unknown))}")
        chosen = [m for m in MUTANTS if m.name in args.only]
    return 1 if run(chosen, workers=args.workers, verbose=args.verbose) else 0


if __name__ == "__main__":
    sys.exit(main())
