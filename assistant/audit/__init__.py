"""The accessibility audit: evidence, from the running system, that every caller is served.

`dialin audit` drives real sessions to find the dialog graph, runs simulated keypad and TTY
calls through `dialin call`, reads the packs and the kiosk's themes, and judges each
finding against the WCAG 2.2 success criterion or Section 508 provision it supports.
Entry point: `audit.run_audit`; the report: `report.write_json` and `report.write_html`.
"""
