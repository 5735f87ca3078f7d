"""The warning-sign ids exactly as the clinical-screening reference gives them (§2 and §3).

Written out again here, not imported from screening.py, so the tests are an independent
oracle: a typo or a sign moved between tables in the code makes them fail.
"""

EMERGENCY = (
    "saddle_anaesthesia",
    "new_bladder_dysfunction",
    "new_bowel_dysfunction",
    "new_sexual_dysfunction",
    "bilateral_leg_symptoms",
    "progressive_leg_weakness",
    "fever_or_systemically_unwell",
    "significant_trauma",
)
SEE_CLINICIAN = (
    "history_of_cancer",
    "unexplained_weight_loss",
    "night_pain_unrelieved",
    "immunosuppression_or_iv_drug_use",
    "long_term_corticosteroids",
    "osteoporosis_minor_trauma",
    "inflammatory_back_pain_features",
    "not_improving_after_1_month",
)
