"""Documents the platform issues, as PDF bytes: the evaluation opinion (清洁生产审核评估意见) and
the acceptance conclusion (清洁生产审核验收意见).

No Django here: callers fill the plain dataclasses of :mod:`cleanprod.reports.pdf` from their
models and store or serve the bytes.
"""
