"""The ``ddb-guard cost`` report: typed data (:mod:`.data`), built from an enriched model
(:mod:`.build`), with recommendations (:mod:`.recommend`), pluggable KPIs
(:mod:`.extensions`) and one renderer module per format (:mod:`.render_text`,
:mod:`.render_json`, :mod:`.render_markdown`), chosen through the report registry
(:func:`ddb_guard.report.get_cost_reporter`) like the scan formats."""
